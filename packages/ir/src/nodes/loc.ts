/** A position in the source program a node came from, for error messages. */
export interface SourceLoc {
  readonly line: number;
  readonly column: number;
}
