import { describe, expect, it } from 'vitest';
import { checkPass } from '../testing/check-pass.js';
import { cne } from './cne.js';
import { dne } from './dne.js';
import { fold } from './fold.js';

describe('standard passes preserve meaning on generated modules', () => {
  for (const pass of [fold, cne, dne]) {
    it(pass.name, () => {
      const report = checkPass(pass, { numRuns: 500 });
      expect(report.modules).toBeGreaterThanOrEqual(500);
      expect(report.changed).toBeGreaterThan(0);
    });
  }
});
