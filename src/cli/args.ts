/** Minimal, strict flag parser shared by the CLI commands: `--name value`, `--flag`. Unknown flags are errors. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Record<string, string | true>;
}

export function parseArgs(argv: readonly string[], spec: { values?: readonly string[]; booleans?: readonly string[] }, cmd: string): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (booleans.has(name)) {
        if (eq >= 0) throw new Error(`${cmd}: flag --${name} takes no value (got '${a}')`);
        flags[name] = true;
      } else if (values.has(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new Error(`${cmd}: flag --${name} needs a value`);
        flags[name] = v;
      } else {
        const known = [...values, ...booleans].map((f) => `--${f}`).join(', ');
        throw new Error(`${cmd}: unknown flag --${name} (known: ${known || 'none'})`);
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

export function intFlag(v: string | true | undefined, name: string, cmd: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (v === true || !/^-?\d+$/.test(v)) throw new Error(`${cmd}: --${name} must be an integer, got '${String(v)}'`);
  const n = Number(v);
  if (n < min || n > max) throw new Error(`${cmd}: --${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}
