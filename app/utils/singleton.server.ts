// One instance per process, even when the module is evaluated twice (Vite's dev module graph
// and the server entry both import it; so does the production bundle next to the scripts).
export function singleton<T>(name: string, create: () => T): T {
	const store = globalThis as unknown as { __singletons?: Map<string, unknown> }
	store.__singletons ??= new Map()
	if (!store.__singletons.has(name)) store.__singletons.set(name, create())
	return store.__singletons.get(name) as T
}

export function dropSingleton(name: string) {
	const store = globalThis as unknown as { __singletons?: Map<string, unknown> }
	store.__singletons?.delete(name)
}
