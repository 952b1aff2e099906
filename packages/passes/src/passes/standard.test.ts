import { describe, expect, it } from 'vitest';
import { checkPass } from '../testing/check-pass.js';
import { cne } from './cne.js';
import { dne } from './dne.js';
import { fold } from './fold.js';
import { hoistInvariants } from './hoist-invariants.js';
import { inline } from './inline.js';
import { simplifyGamma } from './simplify-gamma.js';
import { simplifyTheta } from './simplify-theta.js';
import { optimize } from './standard.js';
import { unroll } from './unroll.js';

describe('standard passes preserve meaning on generated modules', () => {
  for (const pass of [fold, cne, dne, inline, hoistInvariants, simplifyGamma, simplifyTheta, unroll]) {
    it(pass.name, () => {
      const report = checkPass(pass, { numRuns: 500 });
      expect(report.modules).toBeGreaterThanOrEqual(500);
      expect(report.changed).toBeGreaterThan(0);
    });
  }

  it('the optimize pipeline', () => {
    const report = checkPass(optimize, { numRuns: 200 });
    expect(report.changed).toBeGreaterThan(0);
  });
});
