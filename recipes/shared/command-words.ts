/**
 * splitWords: turns an option such as `--with-cc-opt="-O2 -g" --prefix=/x` into argv words with
 * the quoting rules of a POSIX shell ('...', "...", backslash) and nothing else: no variables,
 * no globs, no pipes or `&&`. Build options are written the way people copy them from INSTALL
 * files, but they run as argv, never through a shell; a bare shell operator is an error so that
 * `./configure && make` is not silently passed to configure as arguments. A user who really
 * wants a shell writes `sh -c '...'` and gets exactly that. shellQuote is the way back: one word
 * for a generated shell script.
 */

/** Quotes a word for a POSIX shell: everything literal inside single quotes. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export class WordsError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'WordsError';
  }
}

const OPERATORS: readonly string[] = [
  '|',
  '||',
  '&&',
  '&',
  ';',
  ';;',
  '>',
  '>>',
  '<',
  '<<',
  '2>',
  '2>&1',
  '>&2',
  '$(',
  '`',
];

/** Splits a text into words; throws WordsError on an unterminated quote or a shell operator. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false; // the current word had quotes: an operator inside quotes is literal text
  const end = (): void => {
    if (!inWord) return;
    if (!quoted && OPERATORS.includes(word)) {
      throw new WordsError(
        `"${word}" is a shell operator, and commands here run without a shell`,
        `write one command per line, or ask for a shell explicitly: sh -c '... ${word} ...'`,
      );
    }
    words.push(word);
    word = '';
    inWord = false;
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      end();
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0)
        throw new WordsError(
          `unterminated ' quote in: ${text.trim()}`,
          "close the quote; inside '...' every character is literal.",
        );
      word += text.slice(i + 1, close);
      inWord = quoted = true;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        // inside "...", a backslash only escapes $ ` " \ (as in sh)
        if (text[j] === '\\' && '$`"\\'.includes(text[j + 1] ?? '')) j++;
        word += text[j];
      }
      if (j >= text.length) throw new WordsError(`unterminated " quote in: ${text.trim()}`, 'close the quote.');
      inWord = quoted = true;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = quoted = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  end();
  return words;
}

/** One command per non-empty line (each split into words). */
export function splitCommands(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map(splitWords);
}
