/** Random tokens for event, share and session ids: [0-9a-z] only, valid in every id field. */
export function randomToken(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += Math.floor(random() * 36).toString(36);
  return out;
}
