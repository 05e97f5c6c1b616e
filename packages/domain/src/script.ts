import TraditionalToSimplified from 'opencc-js/t2cn';
import SimplifiedToTraditional from 'opencc-js/cn2t';

/**
 * The city writes simplified Chinese: the product's text and the official
 * region names are simplified. OpenCC converts between the scripts (phrase by
 * phrase: 著 stays in 著名, 干 becomes 幹 or 乾 as the word needs). A
 * converter loads its dictionaries when first used (about half a second for
 * traditional forms), once per process.
 */

/** The traditional forms an answer can be converted to: Taiwan's standard, or Hong Kong's. */
export type TraditionalForm = 'tw' | 'hk';

let simplifier: ((text: string) => string) | undefined;
const traditionalisers = new Map<TraditionalForm, (text: string) => string>();

/** Traditional (or mixed) Chinese in simplified characters; simplified text stays as it is. */
export function toSimplified(text: string): string {
  simplifier ??= TraditionalToSimplified.Converter({ from: 't', to: 'cn' });
  return simplifier(text);
}

/** Simplified Chinese in the traditional forms of Taiwan (`tw`) or Hong Kong (`hk`). */
export function toTraditional(text: string, form: TraditionalForm): string {
  let convert = traditionalisers.get(form);
  if (!convert) {
    convert = SimplifiedToTraditional.Converter({ from: 'cn', to: form });
    traditionalisers.set(form, convert);
  }
  return convert(text);
}
