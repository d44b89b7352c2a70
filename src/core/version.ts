/** The package's version: the CLI's `--version`, the library's and the action's release. */
export const VERSION = '2.1.0'

/** The product's name and version, sent as the User-Agent of every request. */
export const USER_AGENT = `empiricalrun-upload-files/${VERSION}`
