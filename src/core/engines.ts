/**
 * The oldest Node.js the CLI and the library run on: package.json's `engines.node` without its
 * `>=` (test/core/engines.test.ts checks that the two agree). On an older one their bundles fail
 * while they load (undici's set-up on Node 20 throws), so each face checks before it loads them.
 */
export const MIN_NODE = '22.19.0'

/**
 * The one line a face gives instead of starting when `version` (such as `process.version`) is
 * older than `needed`, naming `product` as the user knows it (`empiricalrun-upload`, or the
 * package `@empiricalrun/upload-files`); undefined when it is not older, or not a version at all.
 */
export function tooOldNode(
  product: string,
  version: string,
  needed = MIN_NODE
): string | undefined {
  const found = rank(version)
  if (found === undefined || found >= (rank(needed) ?? 0)) return undefined
  return `${product} needs Node.js ${needed} or later; this is Node.js ${version}`
}

/**
 * A version's major, minor and patch as one number that orders versions as they are ordered; what
 * follows them (a pre-release's `-rc.1`) is left out.
 */
function rank(version: string): number | undefined {
  const parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (!parts) return undefined
  const [major, minor, patch] = parts.slice(1).map(Number) as [number, number, number]
  return (major * 1000 + minor) * 1000 + patch
}
