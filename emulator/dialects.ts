// The vendor's two APIs over the same records: what each accepts and how each answers.
import { MAX_OBJECT_BYTES } from './state.ts'
import type { ApiDialect, FileRecord } from './types.ts'

/** A JSON object, as bodies are parsed and answers built. */
export type Json = Record<string, unknown>

/** Checks one field's value; says what is wrong with it, or undefined when it is fine. */
export type Check = (value: unknown) => string | undefined

const positiveInteger: Check = (v) =>
  Number.isSafeInteger(v) && (v as number) > 0 ? undefined : 'must be a positive integer'
const nonEmptyString: Check = (v) =>
  typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string'
const string: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string')
/** A header value that survives HTTP unchanged: printable ASCII, no surrounding spaces. */
export const HEADER_VALUE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/
// The mime type becomes a signed Content-Type header: it must survive HTTP unchanged.
const headerValue: Check = (v) =>
  typeof v === 'string' && HEADER_VALUE.test(v)
    ? undefined
    : 'must be a non-empty string of printable ASCII without surrounding spaces'
const objectSize: Check = (v) => {
  if (!Number.isSafeInteger(v) || (v as number) < 0) return 'must be a non-negative integer'
  return (v as number) > MAX_OBJECT_BYTES
    ? `must be at most ${MAX_OBJECT_BYTES} (5 GiB)`
    : undefined
}
const uploadedStatus: Check = (v) => (v === 'uploaded' ? undefined : 'must be "uploaded"')
// The reference lets `url` make a link-type resource (no upload, no confirm). The product never
// makes one, so one asked for is refused loudly rather than half-emulated.
const linkUrl: Check = () =>
  'makes a link-type resource, which the emulator does not serve (it emulates uploads only)'

/** Fields a PATCH body may hold, in both dialects. */
export const PATCH_FIELDS: Record<string, Check> = {
  status: uploadedStatus,
  name: nonEmptyString,
  description: string
}

/** Answers' `created_by`: the emulator has one user. */
const CREATED_BY = 'emulator-user'
/**
 * Resources' `access_level`: the reference shows the field but not its values or meaning, so
 * this one is a stand-in no client should build on.
 */
const ACCESS_LEVEL = 'private'

/** What differs between the dialects: paths, create fields, the answers' shapes and words. */
export interface Dialect {
  /** The collection's path: POST creates, GET lists. */
  collection: string
  /** One record's path; its group is the id as sent. */
  item: RegExp
  /** The envelope's key for one record: data.file or data.resource. */
  one: 'file' | 'resource'
  /** The envelope's key for the list: data.files or data.resources. */
  many: 'files' | 'resources'
  /** The noun of error messages. */
  noun: 'File' | 'Resource'
  /** Whether the key picks the project (resources) or the request names it (files). */
  keyPicksProject: boolean
  /** The status of a create's answer. */
  createdStatus: 200 | 201
  /** Fields a create body may hold; any other is refused. */
  createFields: Record<string, Check>
  /** Fields a create body must hold. */
  createRequired: string[]
  /** A record as create answers it, with its upload URL. */
  created(record: FileRecord, uploadUrl: string): Json
  /** A record as confirm, list and get answer it (get adds `url`). */
  view(record: FileRecord): Json
  /** The list's answer, from one page of views and the pagination. */
  page(rows: Json[], pagination: Json): Json
}

/** The seed's Files API: every request names its project. */
const FILES: Dialect = {
  collection: '/api/files',
  item: /^\/api\/files\/([^/]+)$/,
  one: 'file',
  many: 'files',
  noun: 'File',
  keyPicksProject: false,
  createdStatus: 201,
  createFields: {
    project_id: positiveInteger,
    name: nonEmptyString,
    mime_type: headerValue,
    size_bytes: objectSize,
    description: string
  },
  createRequired: ['project_id', 'name'],
  created(record, uploadUrl) {
    const { id, project_id, name, ...rest } = fileView(record)
    return { id, project_id, name, upload_url: uploadUrl, ...rest }
  },
  view: fileView,
  page: (rows, pagination) => ({ data: { files: rows }, pagination })
}

/** The Resources API of the vendor's current reference: the key picks the project. */
const RESOURCES: Dialect = {
  collection: '/api/resources',
  item: /^\/api\/resources\/([^/]+)$/,
  one: 'resource',
  many: 'resources',
  noun: 'Resource',
  keyPicksProject: true,
  // The reference's other creates answer 200: a client must take any 2xx, as the real one may.
  createdStatus: 200,
  createFields: {
    name: nonEmptyString,
    mime_type: headerValue,
    size_bytes: objectSize,
    url: linkUrl,
    description: string
  },
  createRequired: ['name'],
  // As the reference's example shows it: no status, no project_id.
  created: (record, uploadUrl) => ({
    id: record.id,
    name: record.name,
    url: null,
    description: record.description,
    mime_type: record.mime_type,
    size_bytes: record.size_bytes,
    access_level: ACCESS_LEVEL,
    created_by: CREATED_BY,
    created_at: record.created_at,
    updated_at: record.updated_at,
    upload_url: uploadUrl
  }),
  view: resourceView,
  page: (rows, pagination) => ({ data: { resources: rows, pagination } })
}

/** The dialects by name. */
export const DIALECTS: Readonly<Record<ApiDialect, Dialect>> = {
  files: FILES,
  resources: RESOURCES
}

/** A file as the Files API shows it, without upload_url or url. */
function fileView(record: FileRecord): Json {
  return {
    id: record.id,
    project_id: record.project_id,
    name: record.name,
    status: record.status,
    description: record.description,
    mime_type: record.mime_type,
    size_bytes: record.size_bytes,
    created_by: CREATED_BY,
    created_at: record.created_at,
    updated_at: record.updated_at
  }
}

/**
 * A resource as the Resources API shows it after create. `url` is a link-type resource's target,
 * so an upload's is null; only GET /api/resources/{id} fills it, with a fresh download URL.
 */
function resourceView(record: FileRecord): Json {
  return {
    id: record.id,
    project_id: record.project_id,
    name: record.name,
    url: null,
    description: record.description,
    mime_type: record.mime_type,
    size_bytes: record.size_bytes,
    access_level: ACCESS_LEVEL,
    status: record.status,
    created_by: CREATED_BY,
    created_at: record.created_at,
    updated_at: record.updated_at
  }
}
