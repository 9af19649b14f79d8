/**
 * Another commit of lectern checked out beside this one, for benches that measure before and after
 * side by side (`--compare <ref>`): a detached git worktree at `tree`, sharing this checkout's
 * node_modules. Returns the function that removes it.
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './report.js';

export function addWorktree(ref: string, tree: string): () => void {
  execFileSync('git', ['-C', REPO_ROOT, 'worktree', 'add', '--detach', tree, ref], { stdio: 'ignore' });
  const remove = () => execFileSync('git', ['-C', REPO_ROOT, 'worktree', 'remove', '--force', tree], { stdio: 'ignore' });
  try {
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  } catch (error) {
    remove();
    throw error;
  }
  return remove;
}

/** The short name of a commit (`git rev-parse --short`). */
export function shortName(ref: string): string {
  return execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
}
