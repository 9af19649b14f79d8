/**
 * node-postgres's value preparation (`pg/lib/utils.js`, a path its package exports): how pg turns a
 * JavaScript value into a parameter. @types/pg does not declare the module.
 */
declare module 'pg/lib/utils.js' {
  const utils: {
    /** null for null and undefined; a Buffer for bytes; text for the rest (dates with their offset, arrays as array literals, objects as JSON). */
    prepareValue(value: unknown): string | Buffer | null;
  };
  export default utils;
}
