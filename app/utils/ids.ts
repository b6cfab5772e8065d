// Record ids are uuids. Checking the shape first turns a garbage id into a 404: passed on, it would
// reach PostgreSQL as an invalid uuid and fail the query (a 500).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isUuid = (id: string | undefined | null): id is string => typeof id === 'string' && UUID.test(id)
