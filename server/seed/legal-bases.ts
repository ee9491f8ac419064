/**
 * The legal basis of each seeded task type (GDPR art. 6), shown beside the citizen data it allows to
 * process. A region's DPO may word it otherwise for the region (region_legal_bases). Migration 0010
 * gave installations seeded before these texts existed the same wording.
 */
export const legalBases: Record<string, { fr: string; en: string }> = {
  certificat_residence: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : registres de la population (loi du 19 juillet 1991).",
    en: 'GDPR art. 6(1)(e) — public task: population registers (Act of 19 July 1991).',
  },
  composition_menage: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : registres de la population (loi du 19 juillet 1991).",
    en: 'GDPR art. 6(1)(e) — public task: population registers (Act of 19 July 1991).',
  },
  extrait_acte_naissance: {
    fr: "RGPD art. 6.1.c — obligation légale : délivrance des actes de l'état civil (Code civil, livre 2, titre 2).",
    en: 'GDPR art. 6(1)(c) — legal obligation: issuing civil status records (Civil Code, book 2, title 2).',
  },
  extrait_acte_mariage: {
    fr: "RGPD art. 6.1.c — obligation légale : délivrance des actes de l'état civil (Code civil, livre 2, titre 2).",
    en: 'GDPR art. 6(1)(c) — legal obligation: issuing civil status records (Civil Code, book 2, title 2).',
  },
  certificat_nationalite: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : Code de la nationalité belge.",
    en: 'GDPR art. 6(1)(e) — public task: Belgian Nationality Code.',
  },
  legalisation_signature: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : légalisation de signature par l'administration communale.",
    en: 'GDPR art. 6(1)(e) — public task: signature legalisation by the municipal administration.',
  },
  rdv_carte_identite: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : cartes d'identité (loi du 19 juillet 1991).",
    en: 'GDPR art. 6(1)(e) — public task: identity cards (Act of 19 July 1991).',
  },
  rdv_passeport: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : délivrance des passeports (loi du 14 août 1974).",
    en: 'GDPR art. 6(1)(e) — public task: issuing passports (Act of 14 August 1974).',
  },
  rdv_permis_conduire: {
    fr: "RGPD art. 6.1.e — mission d'intérêt public : permis de conduire (loi du 16 mars 1968 sur la police de la circulation routière).",
    en: 'GDPR art. 6(1)(e) — public task: driving licences (Road Traffic Police Act of 16 March 1968).',
  },
};
