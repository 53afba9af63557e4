// rc boot as PID 1 of a PID namespace (what Docker does): CMD, signals, rc halt, --on-fail, 100 orphans reaped.
import { containerCases } from '../../e2e/container-cases.js';
import { namespaceUnavailable } from './pid-namespace.js';

describe('rc boot as PID 1 (unshare --pid --fork --mount-proc)', function () {
  this.timeout(30_000);
  before(function () {
    const reason = namespaceUnavailable();
    if (reason) {
      console.log(`      ${reason}`);
      this.skip();
    }
  });
  containerCases('pidns');
});
