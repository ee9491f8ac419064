/** The demo: real communes of the Liège area (NIS codes, coordinates) and the Verviers area. */
export const demoRegions = [
  {
    name: 'Arrondissement de Liège',
    coordinator: 'liege.coordinator',
    dpo: 'liege.dpo',
    communes: [
      { name: 'Liège', code: '62063', latitude: 50.6326, longitude: 5.5797 },
      { name: 'Seraing', code: '62096', latitude: 50.5986, longitude: 5.5122 },
      { name: 'Herstal', code: '62051', latitude: 50.6636, longitude: 5.6328 },
      { name: 'Ans', code: '62003', latitude: 50.6603, longitude: 5.5203 },
      { name: 'Saint-Nicolas', code: '62093', latitude: 50.6292, longitude: 5.5342 },
      { name: 'Flémalle', code: '62120', latitude: 50.6036, longitude: 5.4561 },
      { name: 'Chaudfontaine', code: '62022', latitude: 50.5847, longitude: 5.645 },
      { name: 'Visé', code: '62108', latitude: 50.7378, longitude: 5.6942 },
    ],
  },
  {
    name: 'Arrondissement de Verviers',
    coordinator: 'verviers.coordinator',
    dpo: 'verviers.dpo',
    communes: [
      { name: 'Verviers', code: '63079', latitude: 50.5891, longitude: 5.8627 },
      { name: 'Spa', code: '63072', latitude: 50.4921, longitude: 5.8645 },
    ],
  },
] as const;

export const taskTypes = [
  {
    key: 'certificat_residence',
    labelFr: 'Certificat de résidence',
    labelEn: 'Residence certificate',
    category: 'document',
    slaHours: 48,
    defaultMinutes: 15,
  },
  {
    key: 'composition_menage',
    labelFr: 'Composition de ménage',
    labelEn: 'Household composition',
    category: 'document',
    slaHours: 48,
    defaultMinutes: 15,
  },
  {
    key: 'extrait_acte_naissance',
    labelFr: "Extrait d'acte de naissance",
    labelEn: 'Birth certificate extract',
    category: 'document',
    slaHours: 72,
    defaultMinutes: 20,
  },
  {
    key: 'extrait_acte_mariage',
    labelFr: "Extrait d'acte de mariage",
    labelEn: 'Marriage certificate extract',
    category: 'document',
    slaHours: 72,
    defaultMinutes: 20,
  },
  {
    key: 'certificat_nationalite',
    labelFr: 'Certificat de nationalité',
    labelEn: 'Nationality certificate',
    category: 'document',
    slaHours: 72,
    defaultMinutes: 15,
  },
  {
    key: 'legalisation_signature',
    labelFr: 'Légalisation de signature',
    labelEn: 'Signature legalisation',
    category: 'document',
    slaHours: 24,
    defaultMinutes: 10,
  },
  {
    key: 'rdv_carte_identite',
    labelFr: "Rendez-vous carte d'identité",
    labelEn: 'Identity card appointment',
    category: 'appointment',
    slaHours: 120,
    defaultMinutes: 30,
  },
  {
    key: 'rdv_passeport',
    labelFr: 'Rendez-vous passeport',
    labelEn: 'Passport appointment',
    category: 'appointment',
    slaHours: 120,
    defaultMinutes: 30,
  },
  {
    key: 'rdv_permis_conduire',
    labelFr: 'Rendez-vous permis de conduire',
    labelEn: 'Driving licence appointment',
    category: 'appointment',
    slaHours: 120,
    defaultMinutes: 30,
  },
] as const;

/** `Saint-Nicolas` → `saintnicolas`, `Liège` → `liege`: the demo usernames' commune part. */
export function communeSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A few tasks that Liège, struck by a cyberattack, has posted: the board is not empty on day one. */
export const demoTasks = [
  {
    type: 'certificat_residence',
    title: 'Certificat de résidence pour inscription scolaire',
    priority: 'high',
    hours: 20,
    citizen: 'Amélie Lambert',
  },
  {
    type: 'composition_menage',
    title: "Composition de ménage pour allocations d'études",
    priority: 'normal',
    hours: 40,
    citizen: 'Youssef El Amrani',
  },
  {
    type: 'extrait_acte_naissance',
    title: "Extrait d'acte de naissance pour mariage",
    priority: 'normal',
    hours: 60,
    citizen: 'Julie Martin',
  },
  {
    type: 'rdv_carte_identite',
    title: "Carte d'identité volée : rendez-vous",
    priority: 'urgent',
    hours: 6,
    citizen: 'Marc Dubois',
    slotPlace: 'Guichet population, rez-de-chaussée',
  },
  {
    type: 'legalisation_signature',
    title: 'Légalisation de signature : procuration',
    priority: 'low',
    hours: 70,
    citizen: 'Sofia Rossi',
  },
  {
    type: 'rdv_passeport',
    title: 'Passeport urgent : voyage médical',
    priority: 'urgent',
    hours: 10,
    citizen: 'Luc Peeters',
    slotPlace: 'Guichet passeports',
  },
] as const;
