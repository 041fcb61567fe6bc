/**
 * git/v0.1: the HEAD commit (hash, author, committer, message, parents, tree, signature), the
 * refs and annotated tags pointing at it, remote URLs without credentials, the branch and the
 * working-tree status. Data comes from the `git` binary; optional index refreshes are disabled so
 * attesting never rewrites `.git/index`, and nothing the repository's own configuration names is
 * executed (see `READ_ONLY_CONFIG`). Remotes and commit and tag messages pass through the
 * redaction policy.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { DigestSet } from '../attestation/statement.js';
import { sortedRecord } from '../attestation/json.js';
import { RedactionPolicy } from '../redaction/policy.js';
import { childEnvironment } from '../redaction/sensitive-names.js';
import { digestFile, sha256Hex } from '../files/digest.js';
import { findExecutable } from '../files/which.js';
import type { AttestorImplementation, AttestorOutput, RunContext } from './types.js';
import { CilockError } from '../util/errors.js';

const run = promisify(execFile);

export interface GitStatusEntry {
  staging?: string;
  worktree?: string;
}

export interface GitTag {
  name: string;
  taggername: string;
  taggeremail: string;
  when: string;
  pgpsignature: string;
  message: string;
}

export interface GitBody {
  gittool: string;
  gitbinpath?: string;
  gitbinhash?: DigestSet;
  commithash: string;
  author: string;
  authoremail: string;
  committername: string;
  committeremail: string;
  commitdate: string;
  commitmessage: string;
  status?: Record<string, GitStatusEntry>;
  commitdigest?: DigestSet;
  signature?: string;
  parenthashes?: string[];
  treehash?: string;
  refs?: string[];
  remotes?: string[];
  tags?: GitTag[];
  branch?: string;
}

export class GitError extends CilockError {}

type Env = RunContext['env'];

/**
 * Configuration given on every git command line. A repository's `.git/config` is as untrusted as
 * its files (an earlier CI step or a checked-out archive can write it), and command-line `-c` wins
 * over it. Of what the read-only commands below run, only `status` can start a program the
 * configuration names: the fsmonitor hook, and a filter driver's clean command when it re-reads a
 * file (those are switched off per driver, see `filterOverrides`); `-c` reaches the `status` it
 * runs in each submodule. The untracked cache would be written to the index, and replace refs
 * would make `cat-file` show another commit than HEAD.
 * Hooks, pagers, editors, credential helpers, ssh commands and textconv/external diff drivers are
 * never reached by these commands. `safe.directory` is left to git: a repository owned by another
 * user is refused, with a hint (see `explainGitFailure`). System and global configuration are the
 * machine's, not the repository's, and stay on (runners put safe.directory there).
 */
const READ_ONLY_CONFIG = ['core.fsmonitor=false', 'core.untrackedCache=false', 'core.useReplaceRefs=false'];

interface Git {
  run(args: string[]): Promise<string>;
  tryRun(args: string[]): Promise<string | undefined>;
}

function gitEnv(env: Env): NodeJS.ProcessEnv {
  return { ...(childEnvironment(env) as NodeJS.ProcessEnv), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_NO_REPLACE_OBJECTS: '1', LC_ALL: 'C' };
}

async function execGit(gitBin: string, cwd: string, env: Env, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(gitBin, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: gitEnv(env) });
    return stdout;
  } catch (error) {
    throw explainGitFailure(error, cwd);
  }
}

function explainGitFailure(error: unknown, cwd: string): Error {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '');
  if (stderr.includes('dubious ownership')) {
    return new GitError(
      `git refuses the repository at ${cwd} because it is owned by another user (safe.directory); if you trust it, run "git config --global --add safe.directory ${cwd}" and retry`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * `-c filter.<driver>.clean= -c filter.<driver>.process=` for every filter driver the repository's
 * own configuration, or one of its submodules' (`<git dir>/modules/…/config`, where `status`
 * recurses), defines. Command-line configuration reaches the submodule processes too. Drivers from
 * the global and system configuration (git-lfs installed by the machine) keep working.
 */
async function filterOverrides(gitBin: string, cwd: string, env: Env): Promise<string[]> {
  const gitDir = (await execGit(gitBin, cwd, env, ['rev-parse', '--absolute-git-dir']).catch(() => '')).trim();
  if (gitDir === '') return [];
  const modules = join(gitDir, 'modules');
  const moduleConfigs = existsSync(modules)
    ? (await readdir(modules, { recursive: true })).filter((file) => basename(file) === 'config').map((file) => join(modules, file))
    : [];
  const drivers = new Set<string>();
  for (const file of [join(gitDir, 'config'), ...moduleConfigs]) {
    const names = await execGit(gitBin, cwd, env, ['config', '--file', file, '--name-only', '--get-regexp', '^filter\\..*\\.(clean|process)$']).catch(() => '');
    for (const name of names.split('\n')) if (name !== '') drivers.add(name.slice('filter.'.length, name.lastIndexOf('.')));
  }
  return [...drivers].flatMap((driver) => [`filter.${driver}.clean=`, `filter.${driver}.process=`]);
}

/** A git bound to one working directory, with the read-only configuration on every call. */
async function openGit(gitBin: string, cwd: string, env: Env): Promise<Git> {
  const config = [...READ_ONLY_CONFIG, ...(await filterOverrides(gitBin, cwd, env))].flatMap((entry) => ['-c', entry]);
  const runGit = (args: string[]) => execGit(gitBin, cwd, env, [...config, ...args]);
  return {
    run: runGit,
    tryRun: async (args) => {
      try {
        return await runGit(args);
      } catch (error) {
        if (error instanceof GitError) throw error;
        return undefined;
      }
    },
  };
}

async function locateGit(context: RunContext): Promise<string> {
  const gitBin = await findExecutable('git', context.env.PATH, context.workingDir);
  if (!gitBin) throw new GitError('the git attestor needs the `git` program, which is not on PATH; install git or drop "git" from -a/--attestations');
  return gitBin;
}

interface Identity {
  name: string;
  email: string;
  seconds: number;
  offset: string;
}

function parseIdentity(line: string): Identity {
  const match = /^(.*?) <([^>]*)> (-?\d+) ([+-]\d{4})$/.exec(line);
  if (!match) return { name: line, email: '', seconds: 0, offset: '+0000' };
  return { name: match[1] as string, email: match[2] as string, seconds: Number(match[3]), offset: match[4] as string };
}

/** Go's `time.Time.String()` for a fixed zone without a name, e.g. `2026-07-01 09:30:00 +0200 +0200`. */
export function goTimeString(seconds: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const local = new Date((seconds + minutes * 60) * 1000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${offset} ${offset}`;
}

interface RawCommit {
  tree: string;
  parents: string[];
  author: Identity;
  committer: Identity;
  signature: string;
  message: string;
}

/** Parses `git cat-file commit` output: headers (with space-continued lines), a blank line, the message. */
export function parseRawCommit(raw: string): RawCommit {
  const split = raw.indexOf('\n\n');
  const headerText = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? '' : raw.slice(split + 2);
  const headers: [string, string][] = [];
  for (const line of headerText.split('\n')) {
    if (line.startsWith(' ') && headers.length > 0) {
      const last = headers[headers.length - 1] as [string, string];
      last[1] += `\n${line.slice(1)}`;
    } else {
      const space = line.indexOf(' ');
      headers.push(space === -1 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)]);
    }
  }
  const first = (name: string) => headers.find(([key]) => key === name)?.[1] ?? '';
  const signature = first('gpgsig') || first('gpgsig-sha256');
  return {
    tree: first('tree'),
    parents: headers.filter(([key]) => key === 'parent').map(([, value]) => value),
    author: parseIdentity(first('author')),
    committer: parseIdentity(first('committer')),
    signature: signature === '' ? '' : `${signature}\n`,
    message,
  };
}

const STATUS_NAMES: Record<string, string> = {
  ' ': 'unmodified',
  '?': 'untracked',
  M: 'modified',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  U: 'updated',
};

/** Parses `git status --porcelain -z`. Renames and copies carry the old path as an extra field. */
export function parseStatus(output: string): Record<string, GitStatusEntry> {
  const status: Record<string, GitStatusEntry> = {};
  const fields = output.split('\0');
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] as string;
    if (field.length < 4) continue;
    const x = field[0] as string;
    const y = field[1] as string;
    status[field.slice(3)] = { staging: STATUS_NAMES[x] ?? x, worktree: STATUS_NAMES[y] ?? y };
    if (x === 'R' || x === 'C') index++;
  }
  return sortedRecord(status);
}

function parseTag(name: string, raw: string): GitTag {
  const split = raw.indexOf('\n\n');
  const headers = (split === -1 ? raw : raw.slice(0, split)).split('\n');
  let message = split === -1 ? '' : raw.slice(split + 2);
  const tagger = parseIdentity(headers.find((line) => line.startsWith('tagger '))?.slice('tagger '.length) ?? '');
  const sigStart = message.search(/-----BEGIN (PGP|SSH) SIGNATURE-----/);
  let pgpsignature = '';
  if (sigStart !== -1) {
    pgpsignature = message.slice(sigStart);
    message = message.slice(0, sigStart);
  }
  const when = tagger.seconds === 0 ? '' : new Date(tagger.seconds * 1000).toISOString().replace('.000Z', 'Z');
  return { name, taggername: tagger.name, taggeremail: tagger.email, when, pgpsignature, message };
}

/** Subjects (what the attestation is about) and back-references (what links it to other steps). */
interface Linked {
  subjects: Record<string, DigestSet>;
  backrefs: Record<string, DigestSet>;
}

export async function collectGit(context: RunContext): Promise<AttestorOutput> {
  const gitBin = await locateGit(context);
  const git = await openGit(gitBin, context.workingDir, context.env);
  const policy = RedactionPolicy.forRun(context);
  const body: GitBody = {
    gittool: 'git-bin',
    gitbinpath: gitBin,
    gitbinhash: await digestFile(gitBin, context.hashes),
    commithash: '',
    author: '',
    authoremail: '',
    committername: '',
    committeremail: '',
    commitdate: '',
    commitmessage: '',
  };
  const linked: Linked = { subjects: {}, backrefs: {} };

  const head = (await git.tryRun(['rev-parse', '--verify', '-q', 'HEAD^{commit}']))?.trim();
  const status = parseStatus(await git.run(['status', '--porcelain', '-z']));
  if (Object.keys(status).length > 0) body.status = status;
  // Field order is the order upstream writes them in: the body's bytes are signed.
  if (head) {
    Object.assign(body, await headCommit(git, head, policy, linked));
    Object.assign(body, await refsPointingAt(git, head, policy));
  }
  Object.assign(body, await remotesOf(git, policy, linked));
  Object.assign(body, await branchOf(git, head, linked));
  return { body, ...linked, detail: head ? `commit ${head.slice(0, 12)}` : 'repository has no commits yet' };
}

/** HEAD's commit: who wrote and committed it, when, its (redacted) message, signature, parents and tree. */
async function headCommit(git: Git, head: string, policy: RedactionPolicy, linked: Linked): Promise<Partial<GitBody>> {
  const commit = parseRawCommit(await git.run(['cat-file', 'commit', head]));
  const fields: Partial<GitBody> = {
    commithash: head,
    author: commit.author.name,
    authoremail: commit.author.email,
    committername: commit.committer.name,
    committeremail: commit.committer.email,
    commitdate: goTimeString(commit.author.seconds, commit.author.offset),
    commitmessage: policy.redact(commit.message),
    commitdigest: { sha1: head },
    ...(commit.signature ? { signature: commit.signature } : {}),
    ...(commit.parents.length > 0 ? { parenthashes: commit.parents } : {}),
    ...(commit.tree ? { treehash: commit.tree } : {}),
  };
  linked.subjects[`commithash:${head}`] = { sha1: head };
  linked.backrefs[`commithash:${head}`] = { sha1: head };
  for (const parent of commit.parents) {
    linked.subjects[`parenthash:${parent}`] = { sha1: parent };
    linked.backrefs[`parenthash:${parent}`] = { sha1: parent };
  }
  linked.subjects[`authoremail:${commit.author.email}`] = { sha256: sha256Hex(commit.author.email) };
  linked.subjects[`committeremail:${commit.committer.email}`] = { sha256: sha256Hex(commit.committer.email) };
  return fields;
}

/** Branches and tags at HEAD (symbolic refs left out); annotated tags with their redacted messages. */
async function refsPointingAt(git: Git, head: string, policy: RedactionPolicy): Promise<Pick<GitBody, 'refs' | 'tags'>> {
  const refLines = (await git.run(['for-each-ref', '--points-at', head, '--format=%(objecttype)%00%(refname)%00%(symref)'])).split('\n');
  const refs: string[] = [];
  const tags: GitTag[] = [];
  for (const line of refLines) {
    const [objectType, refname, symref] = line.split('\0');
    if (!refname || symref) continue;
    if (objectType !== 'tag') {
      refs.push(refname);
      continue;
    }
    const raw = await git.tryRun(['cat-file', 'tag', refname]);
    if (raw === undefined) continue;
    const tag = parseTag(refname.replace(/^refs\/tags\//, ''), raw);
    tags.push({ ...tag, message: policy.redact(tag.message) });
  }
  return { ...(refs.length > 0 ? { refs } : {}), ...(tags.length > 0 ? { tags } : {}) };
}

/** Every remote's URL, with credentials in it redacted. */
async function remotesOf(git: Git, policy: RedactionPolicy, linked: Linked): Promise<Pick<GitBody, 'remotes'>> {
  const remoteOutput = (await git.tryRun(['config', '--get-regexp', '^remote\\..*\\.url$'])) ?? '';
  const remotes = remoteOutput
    .split('\n')
    .map((line) => line.slice(line.indexOf(' ') + 1).trim())
    .filter((url) => url !== '')
    .map((url) => policy.redact(url));
  for (const remote of remotes) linked.subjects[`remote:${remote}`] = { sha256: sha256Hex(remote) };
  return remotes.length > 0 ? { remotes } : {};
}

/** Short name of HEAD; "HEAD" when detached, as upstream writes it; nothing before the first commit on no branch. */
async function branchOf(git: Git, head: string | undefined, linked: Linked): Promise<Pick<GitBody, 'branch'>> {
  const branch = (await git.tryRun(['symbolic-ref', '--short', '-q', 'HEAD']))?.trim() || (head ? 'HEAD' : '');
  if (branch === '') return {};
  linked.subjects[`refnameshort:${branch}`] = { sha256: sha256Hex(branch) };
  return { branch };
}

export const gitAttestor: AttestorImplementation = {
  name: 'git',
  async preflight(context) {
    const gitBin = await locateGit(context);
    const git = await openGit(gitBin, context.workingDir, context.env);
    const inside = (await git.tryRun(['rev-parse', '--is-inside-work-tree']))?.trim();
    if (inside !== 'true') {
      throw new GitError(`the git attestor needs a git repository, but ${context.workingDir} is not inside one; run "git init" there, pass -d/--workingdir with a checkout, or drop "git" from -a/--attestations`);
    }
  },
  run: collectGit,
};
