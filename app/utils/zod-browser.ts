import { z } from 'zod'

// zod 4 tries `new Function('')` when it builds an object schema, to choose its compiled parser.
// Our Content-Security-Policy forbids eval, so in the browser that probe is reported as a CSP
// violation on every page that ships a schema. Jitless mode skips it. app/root.tsx imports this
// module first, so it runs before any route module builds a schema; the server keeps the fast path.
if (typeof document !== 'undefined') z.config({ jitless: true })
