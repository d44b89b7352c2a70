/** The package's version: the CLI's `--version`, the library's and the action's release. */
export declare const VERSION = "2.1.0";
/** The product's name and version, sent as the User-Agent of every request. */
export declare const USER_AGENT = "empiricalrun-upload-files/2.1.0";
