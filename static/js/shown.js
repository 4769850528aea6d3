// What the page shows of a run's text: never anything that reorders the page's own text, never so much that showing
// it holds the page.
//
// The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) act on everything after them in
// the same paragraph: an exception named "Err\u202e" showed the page's "(line 20)" after it as "(02 enil)", and a name
// or printed line could turn the words the page writes around it the same way. Every string a run carries but its
// code (which the editor shows with each such character marked) has them replaced by a space, as the server's DOT
// does (app/render.py), so a name reads the same in the graphs and in the text around them.
//
// A string is shown up to SHOWN_CHARS characters: a Run may be tens of MB, and one of its strings all of it (a forged
// Run's explanation of 26 MB held the tab 4 s at every step onto its node). What a capture writes stays under it
// (printed output is cut at GRADWALK_MAX_OUTPUT_BYTES; a leaf's 3000 paths are explained in 134k characters): the
// JSON download keeps every character.

const REORDERING = /[\u202a-\u202e\u2066-\u2069]/g;
export const SHOWN_CHARS = 200_000;

// `text` with those characters replaced by spaces (text that is not a run's, yet no one's own: a run id from the
// address of a page that found no run).
export const unreordered = (text) => String(text).replace(REORDERING, " ");

// (The count of what was left out in a form either language reads, `… (+5)`: the text is settled once, as the run
// comes, and the page's language may change after. A cut never splits a character written as two UTF-16 units.)
function shown(text) {
  let end = SHOWN_CHARS;
  if (text.length > end && /[\ud800-\udbff]/.test(text[end - 1])) end -= 1;
  const cut = text.length > SHOWN_CHARS ? `${text.slice(0, end)}… (+${text.length - end})` : text;
  REORDERING.lastIndex = 0;
  return REORDERING.test(cut) ? cut.replace(REORDERING, " ") : cut;
}

// `answer` (a Run or a view of one, decoded JSON) with every string but its `code` as the page shows it, in place;
// returned for convenience. Iterative: a stored run may nest deeply.
export function shownText(answer) {
  const pending = [answer];
  const settle = (holder, key, item) => {
    if (typeof item === "string") {
      const text = shown(item);
      if (text !== item) holder[key] = text;
    } else if (item !== null && typeof item === "object") pending.push(item);
  };
  while (pending.length) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) settle(value, i, value[i]);
    } else if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) if (!(value === answer && key === "code")) settle(value, key, value[key]);
    }
  }
  return answer;
}
