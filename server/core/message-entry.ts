/** One entry of the message catalogue: the same words in English and in French. */
export interface Entry<P> {
  en: (params: P) => string;
  fr: (params: P) => string;
}

/** Words without particulars. */
export const text = (en: string, fr: string): Entry<undefined> => ({ en: () => en, fr: () => fr });

/** Words with particulars (which task, how many minutes): the English one's parameter types both. */
export const said = <P>(en: (params: P) => string, fr: (params: NoInfer<P>) => string): Entry<P> => ({ en, fr });
