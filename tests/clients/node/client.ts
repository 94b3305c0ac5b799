// Drives the evokit mock with ServiceStack's JavaScript client (@servicestack/client) under Node,
// with the DTOs the mock itself generates at /types/typescript (./dtos.ts, written next to this
// file by the test), both compiled with `tsc --strict`.
// Usage: node client.js '{"baseUrl": ..., "sessionId": ..., "pendingId": ..., "admin": [user, password],
//   "denied": [user, password], "usageRange": [startDate, endDate]}'
// Prints one JSON object with what each step saw; the pytest test asserts on it.
import { JsonServiceClient } from '@servicestack/client'
import {
  AISessionActionInfo, AISessionInfo, AIUsage, ApplyAISession, Authenticate, AuthenticateResponse,
  ClearAISessionActions, DeleteAISession, DeleteAISessionAction, GetAISession, GetAIUsage, GetAuthStatus,
  ListAISessions, ListResponse, NewAISession, PatchAISession, UserInfo,
} from './dtos.js'

declare const process: { argv: string[] }  // Node's, without pulling in @types/node

interface Config {
  baseUrl: string, sessionId: string, pendingId: string, admin: [string, string], denied: [string, string],
  usageRange: [string, string],
}
interface Failure { thrown: boolean, status?: number, errorCode?: string, message?: string, errors?: unknown[] }

const { baseUrl, sessionId, pendingId, admin, denied, usageRange }: Config = JSON.parse(process.argv[2])
const summary = (session: AISessionInfo) =>
  ({ id: session.id, purpose: session.purpose, lastModifiedBy: session.lastModifiedBy })
const action = (a: AISessionActionInfo) => ({ id: a.id, canBeApplied: a.canBeApplied })
const actions = (session: AISessionInfo) =>
  ({ id: session.id, actions: session.actions?.map(action) ?? null, log: session.log ?? null })
const pageOf = (list: ListResponse<AISessionInfo>) => ({
  ids: (list.items ?? []).map(s => s.id), totalCount: list.totalCount, totalPages: list.totalPages,
  hasMorePages: list.hasMorePages,
})
// The client throws the error DTO it read (a ResponseStatus inside), or one it made from the status
// when the body had none; the HTTP status itself reaches only the exception filter.
let lastStatus: number | undefined
const failure = async (call: () => Promise<unknown>): Promise<Failure> => {
  lastStatus = undefined
  try {
    await call()
    return { thrown: false }
  } catch (error) {
    const status = (error as { responseStatus?: Failure }).responseStatus ?? {} as Failure
    const { errorCode, message, errors } = status
    return { thrown: true, status: lastStatus, errorCode, message, errors }
  }
}
const recordStatus = (res: Response) => { lastStatus = res?.status }
const out: Record<string, unknown> = {}

// 1. Credentials login. Node's fetch keeps no cookies; the client does it itself when there is no
// `document` (`manageCookies`): it stores each Set-Cookie and sends them back in a Cookie header.
const client = new JsonServiceClient(baseUrl)
client.exceptionFilter = recordStatus
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
forbidden.exceptionFilter = recordStatus
out.forbidden = await failure(() => forbidden.patch(new PatchAISession({ sessionId, purpose: 'not allowed' })))

// 5. An unknown session: 404 with the ResponseStatus the mock wrote.
out.notFound = await failure(() => client.patch(new PatchAISession({ sessionId: 'no-such-session', purpose: 'x' })))

// 6. Anonymous: 401 with an empty body.
const anonymous = new JsonServiceClient(baseUrl)
anonymous.exceptionFilter = recordStatus
out.anonymous = await failure(() => anonymous.patch(new PatchAISession({ sessionId, purpose: 'x' })))

// 7. Read the session back with GetAISession, and a page of the list, whose type is the closed
// generic ListResponse<AISessionInfo> of the DTO's return marker.
out.got = summary(await client.get(new GetAISession({ sessionId })))
const page: ListResponse<AISessionInfo> = await client.get(new ListAISessions({ countPerPage: 2 }))
out.listed = { items: (page.items ?? []).map(summary), totalCount: page.totalCount, hasMorePages: page.hasMorePages }

// 8. The whole family on the cookie. GetAuthStatus first, as a frontend does after its login: the
// account to work in is the first of the user's `accountIds`.
const status: UserInfo = await client.get(new GetAuthStatus())
out.status = {
  id: status.id, isAuthenticated: status.isAuthenticated, roles: status.roles, accountIds: status.accountIds,
  accountNames: status.accountNames,
}
const accountId = status.accountIds?.[0] ?? ''

// 9. NewAISession posts its body to /api/NewAISession.
const created: AISessionInfo = await client.post(new NewAISession({ accountId, purpose: 'created by node' }))
out.created = {
  id: created.id, accountId: created.accountId, accountName: created.accountName, purpose: created.purpose,
  createdBy: created.createdBy, lastModifiedBy: created.lastModifiedBy, dateCreated: created.dateCreated,
  dateLastModified: created.dateLastModified,
}
const createdId = created.id ?? ''

// 10. The new session and a fixture one by `specificIds`, one a page, so paging shows; the whole
// list; and the chosen account's sessions.
const pair = [createdId, pendingId]
out.pages = [
  pageOf(await client.get(new ListAISessions({ specificIds: pair, countPerPage: 1, page: 0 }))),
  pageOf(await client.get(new ListAISessions({ specificIds: pair, countPerPage: 1, page: 1 }))),
]
out.allBefore = pageOf(await client.get(new ListAISessions({ all: true })))
out.ofAccount = pageOf(await client.get(new ListAISessions({ accountIds: [accountId], all: true })))

// 11. Read it, patch it, read it again.
out.gotCreated = summary(await client.get(new GetAISession({ sessionId: createdId })))
out.patchedCreated = summary(
  await client.patch(new PatchAISession({ sessionId: createdId, purpose: 'patched by node' })))
out.gotPatched = summary(await client.get(new GetAISession({ sessionId: createdId })))

// 12. Apply a session with pending actions (POST /api/ApplyAISession), then remove its first action
// and clear the rest (both DELETE, the id in the query string), reading the result back.
out.beforeApply = actions(await client.get(new GetAISession({ sessionId: pendingId })))
const applied: AISessionInfo = await client.post(new ApplyAISession({ sessionId: pendingId }))
out.applied = actions(applied)
const firstActionId = applied.actions?.[0]?.id ?? ''
out.actionDeleted = actions(
  await client.delete(new DeleteAISessionAction({ sessionId: pendingId, actionId: firstActionId })))
out.actionDeletedAgain = await failure(
  () => client.delete(new DeleteAISessionAction({ sessionId: pendingId, actionId: firstActionId })))
out.cleared = actions(await client.delete(new ClearAISessionActions({ sessionId: pendingId })))
out.afterClear = actions(await client.get(new GetAISession({ sessionId: pendingId })))

// 13. DeleteAISession is IReturnVoid: the client resolves to nothing on the 204, and a later
// GetAISession of that id is thrown as a 404 with the mock's ResponseStatus.
const deleted: unknown = await client.delete(new DeleteAISession({ sessionId: createdId }))
out.deleted = { returned: deleted === undefined ? 'undefined' : deleted }
out.getDeleted = await failure(() => client.get(new GetAISession({ sessionId: createdId })))
out.allAfter = pageOf(await client.get(new ListAISessions({ all: true })))

// 14. GetAIUsage answers every verb: POST with the account in the body, as the sample does, and GET
// with a date range in the query string.
const usage = (u: AIUsage) => ({ accountUsage: u.accountUsage ?? [], customerUsage: u.customerUsage ?? [] })
out.usageOfAccount = usage(await client.post(new GetAIUsage({ accountId })))
out.usageInRange = usage(await client.get(new GetAIUsage({ startDate: usageRange[0], endDate: usageRange[1] })))

console.log(JSON.stringify(out))
