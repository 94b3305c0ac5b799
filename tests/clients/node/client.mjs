// Drives the evokit mock with ServiceStack's JavaScript client (@servicestack/client) under Node.
// Usage: node client.mjs '{"baseUrl": ..., "sessionId": ..., "admin": [user, password], "denied": [user, password]}'
// Prints one JSON object with what each step saw; the pytest test asserts on it.
import { JsonServiceClient } from '@servicestack/client'

// The DTOs as ServiceStack's "Add ServiceStack Reference" writes them for TypeScript, in plain JS.
class AuthenticateResponse { constructor(init) { Object.assign(this, init) } }
class Authenticate {
  constructor(init) { Object.assign(this, init) }
  getTypeName() { return 'Authenticate' }
  getMethod() { return 'POST' }
  createResponse() { return new AuthenticateResponse() }
}
class AISessionInfo { constructor(init) { Object.assign(this, init) } }
class PatchAISession {
  constructor(init) { Object.assign(this, init) }
  getTypeName() { return 'PatchAISession' }
  getMethod() { return 'PATCH' }
  createResponse() { return new AISessionInfo() }
}

const { baseUrl, sessionId, admin, denied } = JSON.parse(process.argv[2])
const summary = session => ({ id: session.id, purpose: session.purpose, lastModifiedBy: session.lastModifiedBy })
const failure = async call => {
  try {
    await call()
    return { thrown: false }
  } catch (error) {
    const status = error.responseStatus ?? {}
    return { thrown: true, errorCode: status.errorCode, message: status.message, errors: status.errors }
  }
}
const out = {}

// 1. Credentials login. Node's fetch keeps no cookies; the client does it itself when there is no
// `document` (`manageCookies`): it stores each Set-Cookie and sends them back in a Cookie header.
const client = new JsonServiceClient(baseUrl)
const login = await client.post(new Authenticate({ provider: 'credentials', userName: admin[0], password: admin[1] }))
out.login = {
  userName: login.userName, sessionId: login.sessionId, roles: login.roles,
  manageCookies: client.manageCookies, cookies: Object.fromEntries(Object.values(client.cookies).map(c => [c.name, c.value])),
}

// 2. The cookie carries the session: PATCH /api/PatchAISession with the request DTO.
out.patched = summary(await client.patch(new PatchAISession({ sessionId, purpose: 'from node, by cookie' })))

// 3. Without cookies, the AuthenticateResponse's sessionId in the X-ss-id header does the same.
const byHeader = new JsonServiceClient(baseUrl)
byHeader.manageCookies = false
byHeader.headers.set('X-ss-id', login.sessionId)
out.patchedByHeader = summary(await byHeader.patch(new PatchAISession({ sessionId, purpose: 'from node, by X-ss-id' })))

// 4. A user without the role: 403, whose body is text, so the client reports the status code.
const forbidden = new JsonServiceClient(baseUrl)
forbidden.setCredentials(denied[0], denied[1])
out.forbidden = await failure(() => forbidden.patch(new PatchAISession({ sessionId, purpose: 'not allowed' })))

// 5. An unknown session: 404 with the ResponseStatus the mock wrote.
out.notFound = await failure(() => client.patch(new PatchAISession({ sessionId: 'no-such-session', purpose: 'x' })))

// 6. Anonymous: 401 with an empty body.
out.anonymous = await failure(() => new JsonServiceClient(baseUrl).patch(new PatchAISession({ sessionId, purpose: 'x' })))

console.log(JSON.stringify(out))
