/**
 * IAM API additions to 002:
 * - a managed policy's next version number: IAM never reuses a version id (v1, v2, … even after
 *   deletions), so the counter cannot be derived from the versions that remain.
 */
export const iam = `
ALTER TABLE iam_policies ADD COLUMN next_version INTEGER NOT NULL DEFAULT 2 CHECK (next_version >= 2);
`
