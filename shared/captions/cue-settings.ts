/**
 * WebVTT cue settings (`align:start line:0 position:10%,line-left size:80% vertical:rl region:r1`)
 * and REGION definitions (`id:r1 width:40% lines:3 regionanchor:0%,100% viewportanchor:10%,90%
 * scroll:up`). Every setting is checked; problems come back with their 1-based column.
 */

export interface SettingProblem {
  /** 1-based column of the offending setting within the line it came from. */
  column: number;
  message: string;
}

export interface SettingsResult {
  /** The valid settings, separated by one space. */
  normalized: string;
  problems: SettingProblem[];
}

const PERCENT = /^(\d{1,3})(?:\.(\d+))?%$/;

function percentage(value: string): boolean {
  const match = PERCENT.exec(value);
  return match !== null && Number(`${match[1]}.${match[2] ?? '0'}`) <= 100;
}

type Check = (value: string, regions: ReadonlySet<string>) => string | undefined;

const CUE_SETTINGS: Record<string, Check> = {
  vertical: (v) => (v === 'rl' || v === 'lr' ? undefined : 'vertical must be rl or lr'),
  line: (v) => {
    const [where, alignment, extra] = v.split(',');
    if (extra !== undefined) return 'line takes a number or percentage and at most one alignment, e.g. line:0 or line:90%,end';
    if (!(where !== undefined && (/^-?\d{1,5}$/.test(where) || percentage(where)))) return 'line must be a line number (e.g. 0 or -1) or a percentage from 0% to 100%';
    if (alignment !== undefined && !['start', 'center', 'end'].includes(alignment)) return 'the line alignment must be start, center or end';
    return undefined;
  },
  position: (v) => {
    const [where, alignment, extra] = v.split(',');
    if (extra !== undefined || where === undefined || !percentage(where)) return 'position must be a percentage from 0% to 100%, optionally followed by ,line-left ,center or ,line-right';
    if (alignment !== undefined && !['line-left', 'center', 'line-right'].includes(alignment)) return 'the position alignment must be line-left, center or line-right';
    return undefined;
  },
  size: (v) => (percentage(v) ? undefined : 'size must be a percentage from 0% to 100%'),
  align: (v) =>
    ['start', 'center', 'end', 'left', 'right'].includes(v) ? undefined
    : v === 'middle' ? 'align:middle is no longer WebVTT; write align:center'
    : 'align must be start, center, end, left or right',
  region: (v, regions) => (regions.has(v) ? undefined : `region "${v}" is not defined; define it in a REGION block before the first cue, or remove the setting`),
};

const REGION_SETTINGS: Record<string, Check> = {
  id: (v) => (v.length > 0 && !v.includes('-->') ? undefined : 'id must be a name without spaces or "-->"'),
  width: (v) => (percentage(v) ? undefined : 'width must be a percentage from 0% to 100%'),
  lines: (v) => (/^\d{1,4}$/.test(v) ? undefined : 'lines must be a whole number, e.g. lines:3'),
  regionanchor: (v) => anchor(v, 'regionanchor'),
  viewportanchor: (v) => anchor(v, 'viewportanchor'),
  scroll: (v) => (v === 'up' ? undefined : 'scroll may only be up'),
};

function anchor(value: string, name: string): string | undefined {
  const parts = value.split(',');
  return parts.length === 2 && parts.every(percentage) ? undefined : `${name} must be two percentages, e.g. ${name}:0%,100%`;
}

/** Settings that follow the end time of a cue timing line; `offset` is where they start in the line. */
export function parseCueSettings(text: string, offset: number, regions: ReadonlySet<string>): SettingsResult {
  return parseSettings(text, offset, CUE_SETTINGS, 'cue', regions);
}

/** The settings of one line of a REGION block. */
export function parseRegionSettings(text: string): SettingsResult & { id?: string } {
  const result = parseSettings(text, 0, REGION_SETTINGS, 'region', new Set());
  const id = /(?:^|\s)id:(\S+)/.exec(result.normalized)?.[1];
  return id === undefined ? result : { ...result, id };
}

function parseSettings(text: string, offset: number, known: Record<string, Check>, what: 'cue' | 'region', regions: ReadonlySet<string>): SettingsResult {
  const kept: string[] = [];
  const problems: SettingProblem[] = [];
  const seen = new Set<string>();
  const names = Object.keys(known).join(', ');
  for (const match of text.matchAll(/\S+/g)) {
    const token = match[0];
    const column = offset + (match.index ?? 0) + 1;
    const colon = token.indexOf(':');
    if (colon <= 0 || colon === token.length - 1) {
      problems.push({ column, message: `"${token}" is not a ${what} setting: write name:value with no spaces around the colon (${names})` });
      continue;
    }
    const name = token.slice(0, colon);
    const value = token.slice(colon + 1);
    const check = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!check) {
      problems.push({ column, message: `"${name}" is not a ${what} setting; use ${names}` });
      continue;
    }
    if (seen.has(name)) {
      problems.push({ column, message: `${name} is set twice; keep one` });
      continue;
    }
    seen.add(name);
    const problem = check(value, regions);
    if (problem) problems.push({ column, message: problem });
    else kept.push(token);
  }
  return { normalized: kept.join(' '), problems };
}
