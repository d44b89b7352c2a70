import { randomUUID } from 'node:crypto'
import { drawChaos } from './chaos.ts'
import type { Check, Dialect, Json } from './dialects.ts'
import { DIALECTS, PATCH_FIELDS } from './dialects.ts'
import { applyFault, takeFault } from './faults.ts'
import type { Exchange } from './http.ts'
import { readAll, sendJson, sleep, splitTarget } from './http.ts'
import { s3Encode } from './sigv4.ts'
import type { State } from './state.ts'
import type { FaultAction, FileRecord, Step } from './types.ts'

/** API bodies are small JSON documents; anything bigger is refused. */
const MAX_JSON_BYTES = 1024 * 1024
const DOWNLOAD_URL_SECONDS = 3600
const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

interface Route {
  step: Step | 'other'
  /** Record id from the path; NaN when the path segment is not a positive integer. */
  id?: number
}

/** One request past the key check: what it needs to be answered. */
interface Call {
  state: State
  ex: Exchange
  dialect: Dialect
  /** The project the request's key belongs to. */
  keyProject: number
}

/** Handles one request to the API server. */
export async function handleApi(state: State, ex: Exchange): Promise<void> {
  const body = await readAll(ex, MAX_JSON_BYTES)
  if (body === 'aborted') return
  const dialect = DIALECTS[state.api]
  const route = routeOf(dialect, ex.req.method ?? '', ex.rec.path)
  ex.rec.step = route.step
  if (route.id !== undefined && !Number.isNaN(route.id)) ex.rec.fileId = route.id
  const fault =
    route.step === 'other'
      ? undefined
      : (takeFault(state.faults, route.step, faultName(state, route, body)) ??
        drawChaos(state.chaos, state.chaosStats, ex.rec, route.step))
  if (fault) {
    await sleep(fault.latencyMs ?? 0)
    if (await applyFault(ex, fault, apiErrorBody)) return
  }
  if (body === 'too-large') {
    ex.res.setHeader('connection', 'close')
    return sendJson(ex, 413, { error: 'Request body too large' })
  }
  if (route.step === 'other') return notFound(ex, 'Not found')
  const keyProject = keyProjectOf(state, ex)
  if (keyProject === undefined) return
  await dispatch({ state, ex, dialect, keyProject }, route, body, fault?.action)
}

function apiErrorBody(status: number): { contentType: string; body: string } {
  const body = JSON.stringify({ error: `Emulated fault: HTTP ${status}` })
  return { contentType: 'application/json; charset=utf-8', body }
}

/** The step a request is, by the dialect's paths: any other path is 'other', and answers 404. */
function routeOf(dialect: Dialect, method: string, path: string): Route {
  if (path === dialect.collection) {
    if (method === 'POST') return { step: 'create' }
    if (method === 'GET') return { step: 'list' }
    return { step: 'other' }
  }
  const match = dialect.item.exec(path)
  if (!match) return { step: 'other' }
  const id = /^[1-9]\d{0,15}$/.test(match[1]!) ? Number(match[1]) : NaN
  if (method === 'PATCH') return { step: 'confirm', id }
  if (method === 'GET') return { step: 'get', id }
  return { step: 'other' }
}

/** Name a fault's `name` is matched against: the body's name at create, else the record's. */
function faultName(state: State, route: Route, body: Buffer | string): string | undefined {
  if (route.step !== 'create') return state.files.get(route.id ?? NaN)?.name
  try {
    const parsed: unknown = JSON.parse(body.toString())
    const name = (parsed as Json | null)?.name
    return typeof name === 'string' ? name : undefined
  } catch {
    return undefined
  }
}

/** The project of the request's Bearer key; answers 401 (and returns undefined) to any other. */
function keyProjectOf(state: State, ex: Exchange): number | undefined {
  const header = ex.req.headers.authorization ?? ''
  const project = header.startsWith('Bearer ') ? state.keys.get(header.slice(7)) : undefined
  if (project === undefined) sendJson(ex, 401, { error: 'Unauthorized' })
  return project
}

async function dispatch(
  call: Call,
  route: Route,
  body: Buffer,
  action: FaultAction | undefined
): Promise<void> {
  const { ex, dialect } = call
  if (route.step === 'create') return create(call, body, action)
  if (route.step === 'list') return list(call)
  // The reference declares the resource id an integer of at least 1, so a strict server refuses
  // any other as a bad request; the Files API is only known to answer 404 to an unknown file.
  if (Number.isNaN(route.id) && dialect.keyPicksProject) {
    return sendJson(ex, 400, { error: 'id must be an integer of at least 1' })
  }
  const record = visible(call, route.id!)
  if (!record) return notFound(ex, `${dialect.noun} not found`)
  return route.step === 'confirm' ? patch(call, record, body) : get(call, record)
}

/** The record of that id, if the key may see it: with resources, a record of its own project. */
function visible({ state, dialect, keyProject }: Call, id: number): FileRecord | undefined {
  const record = state.files.get(id)
  if (dialect.keyPicksProject && record?.project_id !== keyProject) return undefined
  return record
}

function notFound(ex: Exchange, error: string): void {
  sendJson(ex, 404, { error })
}

/** Parses a JSON object body, answering 400 (and returning undefined) when it is not one. */
function jsonBody(ex: Exchange, body: Buffer): Json | undefined {
  const type = ex.req.headers['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    sendJson(ex, 400, { error: 'Content-Type must be application/json' })
    return undefined
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    sendJson(ex, 400, { error: 'Body is not valid JSON' })
    return undefined
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json
  sendJson(ex, 400, { error: 'Body must be a JSON object' })
  return undefined
}

/** First problem with a body, checked against the allowed fields; undefined when valid. */
function problemWith(
  body: Json,
  fields: Record<string, Check>,
  required: string[]
): string | undefined {
  const unknown = Object.keys(body).find((key) => !Object.hasOwn(fields, key))
  if (unknown !== undefined) return `Unknown field: ${unknown}`
  const missing = required.find((key) => body[key] === undefined)
  if (missing !== undefined) return `${missing} is required`
  for (const [key, check] of Object.entries(fields)) {
    const problem = Object.hasOwn(body, key) ? check(body[key]) : undefined
    if (problem !== undefined) return `${key} ${problem}`
  }
  if (Object.keys(body).length === 0) return 'Nothing to update'
  return undefined
}

async function create(call: Call, raw: Buffer, action: FaultAction | undefined): Promise<void> {
  const { state, ex, dialect } = call
  const body = jsonBody(ex, raw)
  if (!body) return
  const problem = problemWith(body, dialect.createFields, dialect.createRequired)
  if (problem !== undefined) return sendJson(ex, 400, { error: problem })
  const projectId = dialect.keyPicksProject ? call.keyProject : (body.project_id as number)
  if (!state.projects.has(projectId)) return notFound(ex, 'Project not found')
  const record = newRecord(state, body, projectId)
  const uploadUrl = await presignUpload(state, record, action)
  state.files.set(record.id, record)
  state.byKey.set(record.objectKey, record.id)
  ex.rec.fileId = record.id
  sendJson(ex, dialect.createdStatus, {
    data: { [dialect.one]: dialect.created(record, uploadUrl) }
  })
}

function newRecord(state: State, body: Json, projectId: number): FileRecord {
  const now = new Date().toISOString()
  const name = body.name as string
  return {
    id: state.nextId++,
    project_id: projectId,
    name,
    mime_type: (body.mime_type as string | undefined) ?? null,
    size_bytes: (body.size_bytes as number | undefined) ?? null,
    description: (body.description as string | undefined) ?? null,
    status: 'pending',
    created_at: now,
    updated_at: now,
    objectKey: objectKeyFor(projectId, name),
    confirmCount: 0
  }
}

/** A storage key for a file, canonical (as storage.ts looks keys up), unique by its UUID segment. */
export function objectKeyFor(projectId: number, name: string, uuid: string = randomUUID()): string {
  return `project-resources/${projectId}/${uuid}/${keySegment(name)}`
}

/** A name as one URL-safe path segment; '.' and '..' would be swallowed by URL normalization. */
function keySegment(name: string): string {
  return s3Encode(name === '.' || name === '..' ? `_${name}` : name)
}

async function presignUpload(
  state: State,
  record: FileRecord,
  action: FaultAction | undefined
): Promise<string> {
  const expiresIn = state.urlExpiresSeconds
  const expired = action?.type === 'expire-url'
  const headers: Record<string, string> = {
    'content-type': record.mime_type ?? DEFAULT_CONTENT_TYPE
  }
  // The trap real signers set: the checksum of an empty body, hoisted into the query.
  if (action?.type === 'checksum-trap') headers['x-amz-checksum-crc32'] = 'AAAAAA=='
  const query = await state.presigner.presign({
    method: 'PUT',
    path: `/${record.objectKey}`,
    host: state.storageHost,
    headers,
    query: {},
    signingDate: new Date(Date.now() - (expired ? expiresIn * 1000 + 60_000 : 0)),
    expiresIn
  })
  return `${state.storageUrl}/${record.objectKey}?${query}`
}

function patch({ ex, dialect }: Call, record: FileRecord, raw: Buffer): void {
  const body = jsonBody(ex, raw)
  if (!body) return
  const problem = problemWith(body, PATCH_FIELDS, [])
  if (problem !== undefined) return sendJson(ex, 400, { error: problem })
  if (body.status === 'uploaded') {
    const conflict = storageConflict(dialect, record)
    if (conflict !== undefined) return sendJson(ex, 409, { error: conflict })
    record.status = 'uploaded'
    record.confirmCount++
  }
  if (typeof body.name === 'string') record.name = body.name
  if (typeof body.description === 'string') record.description = body.description
  record.updated_at = new Date().toISOString()
  sendJson(ex, 200, { data: { [dialect.one]: dialect.view(record) } })
}

/** Why the record cannot be marked uploaded, if it cannot. */
function storageConflict(dialect: Dialect, record: FileRecord): string | undefined {
  if (!record.stored) return `${dialect.noun} has not been uploaded to storage`
  if (record.size_bytes !== null && record.size_bytes !== record.stored.size) {
    return `Stored object has ${record.stored.size} bytes but size_bytes is ${record.size_bytes}`
  }
  return undefined
}

/** One record, with a fresh signed download URL (as the real API's, valid for one hour). */
async function get({ state, ex, dialect }: Call, record: FileRecord): Promise<void> {
  const query = await state.presigner.presign({
    method: 'GET',
    path: `/${record.objectKey}`,
    host: state.storageHost,
    headers: {},
    query: {},
    signingDate: new Date(),
    expiresIn: DOWNLOAD_URL_SECONDS
  })
  const url = `${state.storageUrl}/${record.objectKey}?${query}`
  sendJson(ex, 200, { data: { [dialect.one]: { ...dialect.view(record), url } } })
}

/** Query parameters the Resources list takes; the project is the key's, so none names it. */
const RESOURCE_LIST_PARAMS = new Set(['page', 'per_page'])

/** One page of the project's uploaded records, newest first. */
function list(call: Call): void {
  const { state, ex, dialect } = call
  const params = new URLSearchParams(splitTarget(ex.req.url)[1])
  const unknown = dialect.keyPicksProject
    ? [...params.keys()].find((key) => !RESOURCE_LIST_PARAMS.has(key))
    : undefined
  if (unknown !== undefined) {
    return sendJson(ex, 400, { error: `Unknown query parameter: ${unknown}` })
  }
  const projectId = dialect.keyPicksProject
    ? call.keyProject
    : intParam(params, 'project_id', undefined)
  const page = intParam(params, 'page', 1)
  const perPage = intParam(params, 'per_page', 20)
  if (projectId === undefined)
    return sendJson(ex, 400, { error: 'project_id must be a positive integer' })
  if (page === undefined) return sendJson(ex, 400, { error: 'page must be a positive integer' })
  if (perPage === undefined || perPage > 100) {
    return sendJson(ex, 400, { error: 'per_page must be an integer from 1 to 100' })
  }
  if (!state.projects.has(projectId)) return notFound(ex, 'Project not found')
  const all = listed(state, projectId)
  const rows = all.slice((page - 1) * perPage, page * perPage).map(dialect.view)
  const pagination = {
    page,
    per_page: perPage,
    total: all.length,
    total_pages: Math.ceil(all.length / perPage)
  }
  sendJson(ex, 200, dialect.page(rows, pagination))
}

/**
 * The records a list answers, newest (highest id) first, as the real API is believed to order them.
 * Only the project's uploaded records, unless listIgnoresFilters is on. `files` holds records in id
 * order, so the sort meets one descending run and finishes in a single pass.
 */
function listed(state: State, projectId: number): FileRecord[] {
  const matches = (r: FileRecord): boolean =>
    state.listIgnoresFilters || (r.project_id === projectId && r.status === 'uploaded')
  const all: FileRecord[] = []
  for (const record of state.files.values()) if (matches(record)) all.push(record)
  return all.reverse().sort((a, b) => b.id - a.id)
}

/** A positive integer query parameter, its default when absent, undefined when malformed. */
function intParam(
  params: URLSearchParams,
  key: string,
  fallback: number | undefined
): number | undefined {
  const value = params.get(key)
  if (value === null) return fallback
  return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined
}
