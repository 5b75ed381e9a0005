/** A setting is wrong; the message names it. */
export class ConfigError extends Error {}
