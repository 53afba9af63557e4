// The command table (cli/program.ts): how commander parses each command, and each command's --help alone or in the table.
import { expect } from 'chai';
import { CommanderError, type Command } from 'commander';
import { buildProgram, COMMANDS } from '../../../cli/program.js';

/** The whole table, writing nothing (help and errors go nowhere). */
function quietProgram(): Command {
  const program = buildProgram();
  for (const c of [program, ...program.commands]) c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  return program;
}

/** Parse `args` with the action of `name` replaced: resolves with what the action received (arguments, then options). */
async function parsed(args: string[]): Promise<unknown[]> {
  const program = quietProgram();
  let got: unknown[] = [];
  program.commands.find((c) => c.name() === args[0])!.action((...a: unknown[]) => {
    got = a.slice(0, -1).map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? { ...x } : x));
  });
  await program.parseAsync(args, { from: 'user' });
  return got;
}

/** The CommanderError that parsing `args` throws (every command's action is left untouched: none may run). */
async function parseError(args: string[]): Promise<CommanderError> {
  const program = quietProgram();
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e;
    throw e;
  }
  throw new Error(`${args.join(' ')} parsed without error`);
}

function helpOf(program: Command, name: string): string {
  return program.commands.find((c) => c.name() === name)!.helpInformation();
}

describe('cli: the command table', () => {
  it('parses rc status and rc list with their flags', async () => {
    expect(await parsed(['status'])).to.deep.equal([[], {}]);
    expect(await parsed(['status', '--json', 'db', '--live', '/x'])).to.deep.equal([['db'], { json: true, live: '/x' }]);
    expect(await parsed(['list', '--up', '--live=/y', 'default'])).to.deep.equal([['default'], { up: true, live: '/y' }]);
    expect(await parsed(['list', '--down'])).to.deep.equal([[], { down: true }]);
  });

  it('parses rc compile and rc check with their flags', async () => {
    expect(await parsed(['compile', 'out', 'a', 'b'])).to.deep.equal(['out', ['a', 'b'], { verbosity: 1 }]);
    expect(await parsed(['compile', '-v', '2', '--force', 'out', 'a', '--json'])).to.deep.equal(['out', ['a'], { verbosity: 2, force: true, json: true }]);
    expect(((await parsed(['check', '-v0', 'a']))[1] as { verbosity: number }).verbosity).to.equal(0);
    expect(((await parsed(['check', '--verbosity=3', 'a']))[1] as { verbosity: number }).verbosity).to.equal(3);
    expect(await parsed(['check', '--strict', 'a'])).to.deep.equal([['a'], { verbosity: 1, strict: true }]);
    expect(await parsed(['compile', '--strict', 'out', 'a'])).to.deep.equal(['out', ['a'], { verbosity: 1, strict: true }]);
  });

  it('rc --help has examples and says where the live directory comes from (--live, RC_LIVE)', async () => {
    const program = buildProgram();
    let out = '';
    program.configureOutput({ writeOut: (s) => void (out += s), writeErr: () => {} });
    await program.parseAsync(['--help'], { from: 'user' }).catch((e: unknown) => {
      if (!(e instanceof CommanderError) || e.exitCode !== 0) throw e;
    });
    expect(out).to.match(/\nExamples:\n {2}rc check /);
    expect(out).to.include('--live DIR').and.to.include('RC_LIVE').and.to.include('/run/rc');
    expect(out).to.include('RC_LIVE=/tmp/rc rc change maintenance');
    expect(out.indexOf('Commands:')).to.be.lessThan(out.indexOf('Examples:'));
  });

  it('rejects what the commands do not define (a usage error: exit 100 in runCli)', async () => {
    for (const args of [['status', '--up'], ['list', '--json'], ['status', '--live'], ['compile', 'out'], ['compile', '-v', 'x', 'out', 'a'], ['check', '--force', 'a'], ['check'], ['nosuch']]) {
      expect((await parseError(args)).exitCode, args.join(' ')).to.not.equal(0);
    }
    for (const args of [['status', '--help'], ['status', '-h'], ['--help'], ['--version']]) {
      expect((await parseError(args)).exitCode, args.join(' ')).to.equal(0);
    }
  });

  it('gives every command the same --help whether it is defined alone (rc NAME ...) or with the whole table', () => {
    const full = buildProgram();
    for (const c of COMMANDS) {
      const alone = buildProgram([c]);
      expect(alone.commands.map((x) => x.name())).to.deep.equal([c.name]);
      expect(helpOf(alone, c.name), c.name).to.equal(helpOf(full, c.name));
    }
    expect(full.commands.map((x) => x.name())).to.deep.equal(COMMANDS.map((c) => c.name));
  });
});
