/**
 * `describe` for a suite that needs something outside npm (a program, a server): when `missing`
 * names what is absent, the suite is skipped with that reason in its name and on stdout; under
 * CI=true it fails instead, since .ci/run installs everything the suites need.
 */
export function describeIfPresent(name: string, missing: string | null, body: () => void): void {
  if (missing === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs what CI installs', () => {
        throw new Error(`${missing}; CI runs this suite`);
      });
    });
    return;
  }
  process.stdout.write(`\nSKIPPING ${name}: ${missing}\n`);
  describe.skip(`${name} (skipped: ${missing})`, body);
}
