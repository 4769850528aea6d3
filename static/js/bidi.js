// A run's text never reorders the page's own. The bidirectional embeddings, overrides and isolates (U+202A-U+202E,
// U+2066-U+2069) act on everything after them in the same paragraph: an exception named "Err\u202e" showed the
// page's "(line 20)" after it as "(02 enil)", and a name or printed line could turn the words the page writes
// around it the same way. Every string a run carries but its code (which the editor shows with each such character
// marked) has them replaced by a space, as the server's DOT does (app/render.py), so a name reads the same in the
// graphs and in the text around them.

const REORDERING = /[\u202a-\u202e\u2066-\u2069]/g;

// `text` with those characters replaced by spaces (text that is not a run's, yet no one's own: a run id from the
// address of a page that found no run).
export const unreordered = (text) => String(text).replace(REORDERING, " ");

// `answer` (a Run or a view of one, decoded JSON) with those characters replaced in every string but its `code`,
// in place; returned for convenience. Iterative: a stored run may nest deeply.
export function withoutReordering(answer) {
  const pending = [answer];
  const settle = (holder, key, item) => {
    if (typeof item === "string") {
      REORDERING.lastIndex = 0;
      if (REORDERING.test(item)) holder[key] = item.replace(REORDERING, " ");
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
