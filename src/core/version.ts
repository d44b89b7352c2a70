/** The action's name and version, sent as the User-Agent of every request. */
export const USER_AGENT = 'empiricalrun-upload-files/1.0.0'
