// The public pages of the Fridhem website that every browser test covers.
// `status` is the HTTP status the page must answer with; `form: true` marks
// the public forms (no "Senast uppdaterad", a form instead; see lib/forms.mjs).

export const PAGES = [
  { path: '/', name: 'start', status: 200 },
  { path: '/hjalp', name: 'hjalp', status: 200 },
  { path: '/hjalp?for=granne', name: 'hjalp-for-granne', status: 200 },
  { path: '/orolig-for-nagon', name: 'orolig-for-nagon', status: 200 },
  { path: '/inte-ensam', name: 'inte-ensam', status: 200 },
  { path: '/en-manad-fri-fran-vald', name: 'en-manad-fri-fran-vald', status: 200 },
  { path: '/en-manad-fri-fran-vald?for=anstallda&format=digitalt', name: 'programme-filtered', status: 200 },
  { path: `/en-manad-fri-fran-vald/${new Date().getFullYear() - 1}`, name: 'programme-last-year', status: 200 },
  // The demo's first event of this year (content/campaign.toml, after last year's three).
  { path: '/evenemang/4-valdets-olika-former-digital-forelasning', name: 'event', status: 200 },
  { path: '/tillganglighet', name: 'tillganglighet', status: 200 },
  { path: '/dolj-ditt-besok', name: 'dolj-ditt-besok', status: 200 },
  { path: '/personuppgifter', name: 'personuppgifter', status: 200 },
  { path: '/tillganglighet/rapportera', name: 'tillganglighet-rapportera', status: 200, form: true },
  { path: '/tillganglighet/alternativt-format', name: 'tillganglighet-alternativt-format', status: 200, form: true },
  { path: '/kontakt', name: 'kontakt', status: 200, form: true },
  { path: '/finns-inte', name: '404-finns-inte', status: 404 },
];

export const VIEWPORTS = [
  { name: '320x640', width: 320, height: 640 },
  { name: '1280x800', width: 1280, height: 800 },
];

/** Title of the neutral page that the quick exit leads to (served by lib/exit-server.mjs). */
export const EXIT_PAGE_TITLE = 'Väder';
