/** Small word lists behind entity kinds and normalization. Modest on purpose: cues, not a database. */

export const PLACES: ReadonlySet<string> = new Set(
  `afghanistan albania algeria argentina armenia australia austria azerbaijan bahrain bangladesh
belarus belgium bolivia bosnia brazil britain bulgaria burma cambodia cameroon canada chad chile
china colombia congo croatia cuba cyprus czech denmark egypt england eritrea estonia ethiopia europe
finland france gaza georgia germany ghana greece guatemala haiti honduras hungary iceland india
indonesia iran iraq ireland israel italy japan jordan kazakhstan kenya korea kosovo kuwait
kyrgyzstan laos latvia lebanon libya lithuania luxembourg macedonia malaysia mali malta mexico
moldova mongolia montenegro morocco mozambique myanmar nepal netherlands nigeria niger norway oman
pakistan palestine panama peru philippines poland portugal qatar romania russia rwanda scotland
senegal serbia singapore slovakia slovenia somalia spain sudan sweden switzerland syria taiwan
tajikistan tanzania thailand tunisia turkey turkmenistan uganda ukraine uzbekistan venezuela
vietnam wales yemen zambia zimbabwe africa asia america americas antarctica arctic balkans caucasus
sinai crimea donbas kurdistan sahel levant
paris london berlin moscow washington brussels vienna rome madrid beijing tokyo delhi cairo baghdad
damascus aleppo raqqa homs idlib palmyra mosul ramadi fallujah kobani tikrit kirkuk erbil beirut
amman ankara istanbul antalya belek tehran riyadh jerusalem tripoli benghazi kabul islamabad geneva
bamako tunis sousse kiev kyiv minsk warsaw athens stockholm oslo copenhagen lisbon dublin sochi latakia tartus
saint-denis molenbeek strasbourg marseille lyon toulouse nice munich hamburg frankfurt milan
chicago boston york angeles jakarta manila dhaka karachi lagos nairobi johannesburg sydney`.split(/\s+/),
);

/** Multi-word places compared as whole lower-cased names. */
export const PLACE_PHRASES: ReadonlySet<string> = new Set([
  'united states', 'united kingdom', 'great britain', 'new york', 'los angeles', 'middle east',
  'saudi arabia', 'south africa', 'north korea', 'south korea', 'new zealand', 'west bank',
  'gaza strip', 'hong kong', 'sri lanka', 'el salvador', 'costa rica', 'ivory coast',
  'czech republic', 'central african republic', 'united arab emirates', 'san bernardino',
  'stade de france', 'north africa', 'west africa', 'east africa', 'latin america',
  'south america', 'north america', 'southeast asia', 'central asia', 'new delhi', 'st. petersburg',
]);

/** Words that name a group as an organization when they end (or head) a proper-noun run. */
export const ORG_WORDS: ReadonlySet<string> = new Set(
  `council ministry department agency army navy force forces police party union committee
commission court parliament congress senate assembly government administration office bureau
organization organisation association institute university college bank fund group front
brigade brigades corps guard guards company corporation inc ltd news times post press service
services network coalition alliance movement league federation authority command security
nations state house kremlin pentagon nato unhcr unicef who`.split(/\s+/),
);

/** Words that precede a person's name and are not part of it. */
export const TITLES: ReadonlySet<string> = new Set(
  `president prime minister secretary chancellor king queen prince princess sheikh emir pope
senator sen. rep. representative governor gov. mayor general gen. lt. col. colonel major maj.
captain capt. admiral adm. commander chief director spokesman spokeswoman spokesperson
ambassador envoy judge justice foreign defense defence interior home deputy vice
mr. mrs. ms. dr. mr mrs ms dr sir lord lady rev. reverend father imam ayatollah cardinal
minister's president's leader officer official officials correspondent reporter producer
premier chairman chairwoman chair ceo head sgt. sergeant gen cpt. attorney pm secretaries ministers presidents
secretary-general`.split(/\s+/),
);

export const MONTHS_AND_DAYS: ReadonlySet<string> = new Set(
  `january february march april may june july august september october november december jan jan.
feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. nov nov. dec dec.
monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun`.split(/\s+/),
);

export const MONTHS: ReadonlySet<string> = new Set(
  `january february march april may june july august september october november december jan jan.
feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. nov nov. dec dec.`.split(/\s+/),
);

/** Nationality adjectives: descriptive, not named things of their own. */
export const DEMONYMS: ReadonlySet<string> = new Set(
  `american british russian syrian french german turkish iraqi iranian israeli palestinian
lebanese jordanian egyptian saudi kurdish chinese japanese indian pakistani afghan european
african asian arab arabic western eastern belgian italian spanish greek ukrainian polish dutch
swedish norwegian danish austrian swiss canadian australian libyan yemeni malian nigerian sunni
shiite shia muslim muslims christian christians jewish islamist islamists jihadist jihadists
russians syrians americans iraqis iranians europeans britons turks kurds arabs french`.split(/\s+/),
);

/** Different spellings of one name, mapped to the form keys use. */
export const KEY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['us', 'united states'], ['usa', 'united states'], ['u.s', 'united states'], ['u.s.a', 'united states'],
  ['america', 'united states'], ['united states of america', 'united states'],
  ['uk', 'united kingdom'], ['u.k', 'united kingdom'], ['britain', 'united kingdom'], ['great britain', 'united kingdom'],
  ['un', 'united nations'], ['u.n', 'united nations'],
  ['eu', 'european union'], ['e.u', 'european union'],
  ['isis', 'islamic state'], ['isil', 'islamic state'], ['is', 'islamic state'], ['daesh', 'islamic state'],
  ['islamic state group', 'islamic state'], ['islamic state of iraq and the levant', 'islamic state'],
  ['islamic state of iraq and syria', 'islamic state'],
  ['g20', 'g-20'], ['group of 20', 'g-20'], ['g-20 summit', 'g-20'], ['g20 summit', 'g-20'],
  ['kyiv', 'kiev'],
]);

/** News outlets: sources, not subjects of a story (single-word names, lower-cased). */
export const OUTLETS: ReadonlySet<string> = new Set(
  `upi ap afp reuters voa bbc cnn nbc cbs abc npr pbs bloomberg dpa tass xinhua anadolu efe ansa
dw rt euronews yonhap kyodo interfax sputnik aljazeera france24 guardian telegraph`.split(/\s+/),
);

export const OUTLET_PHRASES: ReadonlySet<string> = new Set([
  'associated press', 'agence france-presse', 'al jazeera', 'sky news', 'france 24', 'deutsche welle',
  'new york times', 'washington post', 'wall street journal', 'voice of america', 'united press international',
  'ria novosti', 'the guardian', 'fox news', 'ap news', 'bbc news', 'cnn international', 'the times',
]);
