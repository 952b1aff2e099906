/**
 * Delta debugging (Zeller's ddmin) over the lines of an input: removes
 * chunks of lines, then single lines, as long as the failure still
 * reproduces, within a time budget. The result is 1-minimal when the
 * budget allows.
 */
export async function minimizeLines(
  text: string,
  reproduces: (candidate: string) => Promise<boolean>,
  deadline: number,
): Promise<{ text: string; tests: number }> {
  let lines = text.split('\n');
  let granularity = 2;
  let tests = 0;
  while (lines.length >= 2 && Date.now() < deadline) {
    const chunk = Math.ceil(lines.length / granularity);
    let reduced = false;
    for (let start = 0; start < lines.length && Date.now() < deadline; start += chunk) {
      const complement = [...lines.slice(0, start), ...lines.slice(start + chunk)];
      tests++;
      if (complement.length > 0 && (await reproduces(complement.join('\n')))) {
        lines = complement;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= lines.length) break;
      granularity = Math.min(granularity * 2, lines.length);
    }
  }
  return { text: lines.join('\n'), tests };
}
