import mime from 'mime'

/** What a file is typed as when nothing better is known. */
const OCTET_STREAM = 'application/octet-stream'

/**
 * Types for mobile builds and test artifacts that `mime` gets wrong or lacks, keyed by lower-case
 * extension without the dot. Only rows that differ from `mime` belong here (a test checks it);
 * `.apk`, `.zip` (Playwright traces, `.app.zip`, `.dSYM.zip`), `.xml` (JUnit), `.webm`, `.mp4`,
 * `.png` and `.json` are already right in `mime`.
 */
export const FIELD_TYPES: Readonly<Record<string, string>> = Object.freeze({
  // Android App Bundle: no registered type, and not installable, so not Android's package-archive
  // type. Google Play's bundle upload accepts only octet-stream. `mime` says
  // application/x-authorware-bin, a Macromedia Authorware file that shares the extension.
  aab: OCTET_STREAM,
  // bundletool's APK set (a zip of split APKs): unregistered; the name split-APK installers accept.
  apks: 'application/x-apks',
  // APKPure's APK + OBB bundle: unregistered; what APKPure and its installers use.
  xapk: 'application/xapk-package-archive',
  // iOS app archive: no registered type; Apple's deployment guide has servers send octet-stream.
  // Listed so that a type `mime` may add later cannot change it (see its `.aab` entry above).
  ipa: OCTET_STREAM,
  // HTTP Archive from a browser or Playwright: one JSON document (HAR 1.2), no type of its own.
  har: 'application/json',
  // Newline-delimited JSON: the type the NDJSON spec names (unregistered, but what tools send).
  ndjson: 'application/x-ndjson',
  // JSON Lines is the same format; its maintainers point to the NDJSON type.
  jsonl: 'application/x-ndjson',
  // TypeScript source, not an MPEG transport stream (`mime`: video/mp2t): in a test project `.ts`
  // is a spec or page object, while recordings are .webm, .mp4 or .mov. No registered type;
  // text/typescript is the common name, and RFC 2046 has readers treat unknown text/* as plain.
  ts: 'text/typescript',
  mts: 'text/typescript',
  cts: 'text/typescript',
  tsx: 'text/typescript'
})

/** The MIME type for a file name or path: {@link FIELD_TYPES}, then `mime`, then octet-stream. */
export function mimeTypeOf(fileName: string): string {
  const extension = extensionOf(fileName)
  // Own keys only: an extension such as `.constructor` must not reach Object.prototype.
  const fixed = Object.hasOwn(FIELD_TYPES, extension) ? FIELD_TYPES[extension] : undefined
  return fixed ?? mime.getType(extension) ?? OCTET_STREAM
}

/**
 * The lower-case text after the last dot of the last path segment (`/` or `\`), or `''`. A dot
 * that starts the name marks a hidden file, not an extension (`.har` has none), as in
 * `path.extname`.
 */
function extensionOf(fileName: string): string {
  const name = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
  const dot = name.lastIndexOf('.')
  return name.slice(dot > 0 ? dot + 1 : name.length).toLowerCase()
}
