// The vendor's two APIs over the same flow (create → PUT → confirm, list, get), in one table: where
// each is served, the envelope keys of its answers and how it learns the project. The client, the
// answers' parsers, the settings and the hints read this table; nothing else tells them apart.

/** The name of one of the vendor's APIs: the seed's Files API, or the Resources API of its current reference. */
export type Api = 'files' | 'resources'

/** What one API is, as the client and its messages need it. */
export interface Dialect {
  /** The collection's path below the base URL: POST creates, GET lists, `/{id}` is one record. */
  path: string
  /** The envelope key of one record: `{"data":{"file":{…}}}`. */
  one: string
  /** The envelope key of a page of records: `{"data":{"files":[…]}}`. */
  many: string
  /**
   * True when the request names the project (`project_id` in the create body and the list's
   * query); false when the key picks it, and the project cannot be named at all.
   */
  projectInRequest: boolean
  /** The base URL when none is given. */
  defaultBaseUrl: string
}

/** Every API, by name; `files` first, the default. */
export const DIALECTS: Readonly<Record<Api, Dialect>> = {
  files: {
    path: '/api/files',
    one: 'file',
    many: 'files',
    projectInRequest: true,
    defaultBaseUrl: 'https://dash.empirical.run'
  },
  resources: {
    path: '/api/resources',
    one: 'resource',
    many: 'resources',
    projectInRequest: false,
    defaultBaseUrl: 'https://api.empirical.run'
  }
}

/** The APIs' names, the default first. */
export const API_NAMES = Object.keys(DIALECTS) as Api[]

/**
 * The dialect a collection URL belongs to (the transport's `filesUrl`): the one whose path it
 * ends in, else `files`, as a transport that names none is.
 */
export function dialectAt(collectionUrl: string): Dialect {
  return (
    Object.values(DIALECTS).find((dialect) => collectionUrl.endsWith(dialect.path)) ??
    DIALECTS.files
  )
}
