/**
 * @sluice/server: the server half of Sluice (work in progress).
 * @module
 */
export {}
