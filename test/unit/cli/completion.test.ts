// Shell completion: the candidates for the words typed after `rc` (commands, flags, subcommands, choices, service names).
import { expect } from 'chai';
import { buildProgram } from '../../../cli/program.js';
import { completeWords, completionScript, type NameSources } from '../../../cli/commands/completion-run.js';

const asked: string[] = [];
const sources: NameSources = {
  fromLive: (live) => (asked.push(`live ${live}`), live === '/run/rc' || live === '/tmp/rc' ? ['api', 'db', 'default', 'maintenance'] : undefined),
  fromDb: (dir) => (asked.push(`db ${dir}`), dir === '/etc/rc/compiled' || dir === './c' ? ['app', 'db', 'default'] : undefined),
};
const complete = (line: string, env: NodeJS.ProcessEnv = {}) => completeWords(buildProgram(), line.split(' '), env, sources);

describe('cli: shell completion candidates', () => {
  beforeEach(() => (asked.length = 0));

  it('completes command names (not the hidden one) and the global flags', () => {
    expect(complete('st')).to.deep.equal(['status']);
    expect(complete('c')).to.deep.equal(['compile', 'check', 'change', 'completion']);
    expect(complete('')).to.include.members(['boot', 'up', 'completion']).and.not.include('__complete');
    expect(complete('--')).to.deep.equal(['--help', '--version']);
  });

  it("completes a command's flags, and the choices of an option's value", () => {
    expect(complete('status --')).to.include.members(['--json', '--live', '--help']);
    expect(complete('check --s')).to.deep.equal(['--strict']);
    expect(complete('graph --format ')).to.deep.equal(['dot', 'mermaid', 'json']);
    expect(complete('up --live ')).to.deep.equal([]); // a directory: the shell completes file names
    expect(complete('completion ')).to.deep.equal(['bash', 'zsh']);
  });

  it('completes service and bundle names from the daemon (--live, RC_LIVE, /run/rc), else the compiled db', () => {
    expect(complete('up ')).to.deep.equal(['api', 'db', 'default', 'maintenance']);
    expect(complete('change m')).to.deep.equal(['maintenance']);
    expect(complete('restart --deps d')).to.deep.equal(['db', 'default']);
    expect(complete('status --live /tmp/rc a')).to.deep.equal(['api']);
    expect(complete('status a', { RC_LIVE: '/nowhere' })).to.deep.equal(['app']); // no daemon there: the compiled db
    expect(asked).to.include.members(['live /tmp/rc', 'live /nowhere', 'db /etc/rc/compiled']);
    expect(complete('wait --ready api d')).to.deep.equal(['db', 'default']); // variadic
  });

  it('completes rc db subcommands, their choices and names from -c', () => {
    expect(complete('db ')).to.include.members(['list', 'type', 'deps', 'contents']);
    expect(complete('db -c ./c l')).to.deep.equal(['list']);
    expect(complete('db list b')).to.deep.equal(['bundles']);
    expect(complete('db -c ./c type a')).to.deep.equal(['app']);
    expect(asked).to.deep.equal(['db ./c']);
    expect(complete('graph d')).to.deep.equal(['db', 'default']);
  });

  it('leaves file arguments to the shell', () => {
    expect(complete('compile ')).to.deep.equal([]);
    expect(complete('check src ')).to.deep.equal([]);
    expect(complete('nosuch ')).to.deep.equal([]);
  });

  it('prints a bash and a zsh script calling rc __complete', () => {
    expect(completionScript('bash')).to.include('complete -o default -F _rc_complete rc').and.include('rc __complete --');
    expect(completionScript('zsh')).to.match(/^#compdef rc\n/).and.include('compdef _rc rc');
  });
});
