// Drives the evokit mock with ServiceStack's JavaScript client (@servicestack/client) under Node,
// with the DTOs the mock itself generates at /types/typescript (./dtos.ts, written next to this
// file by the test), both compiled with `tsc --strict`.
// Usage: node client.js '{"baseUrl": ..., "sessionId": ..., "admin": [user, password], "denied": [user, password]}'
// Prints one JSON object with what each step saw; the pytest test asserts on it.
import { JsonServiceClient } from '@servicestack/client'
import {
  AISessionInfo, Authenticate, AuthenticateResponse, GetAISession, ListAISessions, ListResponse, PatchAISession,
} from './dtos.js'

declare const process: { argv: string[] }  // Node's, without pulling in @types/node

interface Config { baseUrl: string, sessionId: string, admin: [string, string], denied: [string, string] }
interface Failure { thrown: boolean, errorCode?: string, message?: string, errors?: unknown[] }

const { baseUrl, sessionId, admin, denied }: Config = JSON.parse(process.argv[2])
const summary = (session: AISessionInfo) =>
  ({ id: session.id, purpose: session.purpose, lastModifiedBy: session.lastModifiedBy })
const failure = async (call: () => Promise<unknown>): Promise<Failure> => {
  try {
    await call()
    return { thrown: false }
  } catch (error) {
    const status = (error as { responseStatus?: Failure }).responseStatus ?? {} as Failure
    return { thrown: true, errorCode: status.errorCode, message: status.message, errors: status.errors }
  }
}
const out: Record<string, unknown> = {}

// 1. Credentials login. Node's fetch keeps no cookies; the client does it itself when there is no
// `document` (`manageCookies`): it stores each Set-Cookie and sends them back in a Cookie header.
const client = new JsonServiceClient(baseUrl)
const login: AuthenticateResponse = await client.post(
  new Authenticate({ provider: 'credentials', userName: admin[0], password: admin[1] }))
out.login = {
  userName: login.userName, sessionId: login.sessionId, roles: login.roles, manageCookies: client.manageCookies,
  cookies: Object.fromEntries(Object.values(client.cookies).map(c => [c.name, c.value])),
}

// 2. The cookie carries the session: PATCH /api/PatchAISession with the request DTO; the
// response's type is the DTO's IReturn<AISessionInfo>.
const patched: AISessionInfo = await client.patch(new PatchAISession({ sessionId, purpose: 'from node, by cookie' }))
out.patched = summary(patched)

// 3. Without cookies, the AuthenticateResponse's sessionId in the X-ss-id header does the same;
// `send` takes the verb from the DTO's getMethod().
const byHeader = new JsonServiceClient(baseUrl)
byHeader.manageCookies = false
byHeader.headers.set('X-ss-id', login.sessionId ?? '')
out.patchedByHeader = summary(await byHeader.send(new PatchAISession({ sessionId, purpose: 'from node, by X-ss-id' })))

// 4. A user without the role: 403, whose body is text, so the client reports the status code.
const forbidden = new JsonServiceClient(baseUrl)
forbidden.setCredentials(denied[0], denied[1])
out.forbidden = await failure(() => forbidden.patch(new PatchAISession({ sessionId, purpose: 'not allowed' })))

// 5. An unknown session: 404 with the ResponseStatus the mock wrote.
out.notFound = await failure(() => client.patch(new PatchAISession({ sessionId: 'no-such-session', purpose: 'x' })))

// 6. Anonymous: 401 with an empty body.
out.anonymous = await failure(() => new JsonServiceClient(baseUrl).patch(new PatchAISession({ sessionId, purpose: 'x' })))

// 7. Read the session back with GetAISession, and a page of the list, whose type is the closed
// generic ListResponse<AISessionInfo> of the DTO's return marker.
out.got = summary(await client.get(new GetAISession({ sessionId })))
const page: ListResponse<AISessionInfo> = await client.get(new ListAISessions({ countPerPage: 2 }))
out.listed = { items: (page.items ?? []).map(summary), totalCount: page.totalCount, hasMorePages: page.hasMorePages }

console.log(JSON.stringify(out))
