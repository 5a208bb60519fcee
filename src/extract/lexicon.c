/* lexicon.c - the extractor's word lists: function words, titles,
 * organization words, honorifics, reporting verbs, countries and their
 * demonyms.  The lists are plain text below; the first lookup sorts them
 * into static tables (once, under pthread_once), after which they are
 * read-only and shared by all threads. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazette/util.h"
#include "internal.h"

/* Word classes, one space-separated list per class.  A word may be in
 * several lists; its classes are OR-ed together. */
static const struct {
    unsigned cls;
    const char *words;
} class_lists[] = {
    {WC_STOP,
     "a an the this that these those some many most several all both each every any no "
     "other another such its his her their our my your it they them we us i you me him "
     "who whom whose which what where when why how whether if while although though "
     "because since as than so but or nor yet and for in on at by with from to into "
     "onto over under after before during until about against between among amongst "
     "through throughout without within per via upon across around near despite "
     "towards toward beyond behind above below off out up down is was were are am be "
     "been being has have had do does did will would can could should may might must "
     "shall not never also only just even however meanwhile then there here too very "
     "more less same own herself himself itself themselves moreover furthermore instead "
     "still now later earlier already again once twice last next amid following like "
     "unlike whereas whose yes thus hence therefore otherwise besides altogether "
     "perhaps maybe indeed nevertheless nonetheless whilst upon according alongside "
     "along including besides except"},
    {WC_PREP,
     "in on at by with from to into over under after before during until about against "
     "between among amongst through without within per via upon across around near "
     "despite following amid for as outside inside toward towards behind alongside "
     "along including besides except"},
    {WC_AUX,
     "is was were are am be been has have had do does did will would can could should "
     "may might must shall won't can't cannot isn't wasn't aren't weren't hasn't haven't "
     "hadn't doesn't don't didn't wouldn't couldn't shouldn't it's he's she's that's "
     "there's they're we're i'm they've we've i've it'll they'll we'll he'll she'll "
     "i'll he'd she'd they'd we'd i'd"},
    {WC_PASSIVE, "was were been being be is are am get gets got"},
    {WC_NEG,
     "not never didn't doesn't don't won't wouldn't hasn't haven't hadn't cannot can't "
     "couldn't"},
    {WC_ADVERB,
     "has have had will would could might may also further later then again previously "
     "reportedly repeatedly publicly once recently earlier subsequently separately "
     "similarly additionally originally initially herself himself themselves itself "
     "still already even too first finally yesterday today immediately openly privately "
     "allegedly apparently officially personally specifically simply flatly directly "
     "last has since"},
    {WC_HONOR,
     "mr mrs ms miss dr prof sir dame madam mme mlle herr frau rev fr monsignor monsenor "
     "msgr hon"},
    {WC_ABBREV,
     "mr mrs ms dr prof st jr sr gen col lt sgt capt gov sen rep rev fr no inc ltd co "
     "corp vs jan feb mar apr jun jul aug sep sept oct nov dec mt ft dept univ bros "
     "msgr hon maj adm cmdr supt det insp"},
    {WC_PARTICLE,
     "de da di do dos das du del della der den van von ter ten la le bin binti ibn al "
     "el abu zu"},
    {WC_PRONOUN, "he she"},
    {WC_CALENDAR,
     "monday tuesday wednesday thursday friday saturday sunday january february march "
     "april june july august september october november december jan feb mar apr jun "
     "jul aug sep sept oct nov dec today tonight yesterday tomorrow morning evening "
     "afternoon night week month year weekend noon midnight christmas easter ramadan"},
    {WC_TITLE,
     "president vice premier minister prime secretary speaker chairman chairwoman "
     "chairperson chair director commissioner governor senator representative "
     "congressman congresswoman congressperson assemblyman assemblywoman mayor "
     "chancellor king queen prince princess emperor empress pope sultan emir sheikh "
     "tsar czar duke duchess leader chief executive ceo cfo coo cto cio officer "
     "spokesperson spokesman spokeswoman mp mps mep msp mla judge justice magistrate "
     "general admiral marshal ambassador envoy consul attorney lawyer barrister "
     "solicitor prosecutor professor lecturer dean provost rector head manager founder "
     "cofounder co-founder owner coach captain skipper deputy assistant associate "
     "senior junior adviser advisor counsel counselor counsellor analyst economist "
     "expert researcher scientist author co-author coauthor journalist reporter editor "
     "columnist correspondent anchor presenter member councillor councilor "
     "councilman councilwoman alderman commander colonel lieutenant sergeant corporal "
     "inspector constable sheriff superintendent detective candidate nominee activist "
     "campaigner protester protestor demonstrator student teacher doctor physician "
     "surgeon nurse epidemiologist virologist meteorologist climatologist astronomer "
     "physicist chemist biologist geologist historian official diplomat delegate "
     "lawmaker legislator treasurer auditor comptroller administrator regulator monarch "
     "cardinal bishop archbishop rabbi imam pastor priest reverend ayatollah cleric "
     "actor actress singer musician drummer guitarist artist writer novelist poet "
     "producer filmmaker designer entrepreneur businessman businesswoman investor "
     "banker partner principal vice-chancellor whip state affairs foreign interior "
     "defence defense finance health economy trade commerce education transport "
     "transportation environment energy agriculture culture tourism communications "
     "acting interim former ex incoming outgoing designate elect president-elect "
     "vice-president vice-premier managing lead permanent parliamentary shadow "
     "opposition minority majority ranking presiding supreme secretary-general "
     "director-general attorney-general governor-general surgeon-general "
     "inspector-general auditor-general under-secretary undersecretary staff co-chair "
     "cochair co-chairman warden ombudsman registrar curator engineer architect pilot "
     "astronaut cosmonaut athlete player striker goalkeeper champion referee organiser "
     "organizer coordinator strategist pollster consultant commentator rapporteur aide "
     "sponsor co-sponsor whistleblower chef farmer lady first-lady premier-elect "
     "chief-executive fellow information home emergency emergencies immigration "
     "intelligence first voter developer co-developer industry technology science "
     "security"},
    {WC_FIELD,
     "state affairs foreign interior defence defense finance health economy trade "
     "commerce education transport transportation environment energy agriculture "
     "culture tourism communications information home emergency emergencies "
     "immigration intelligence justice labour labor industry technology science "
     "security"},
    {WC_MALE,
     "mr sir king prince duke emperor chairman spokesman congressman assemblyman "
     "councilman businessman father husband son brother widower"},
    {WC_FEMALE,
     "mrs ms miss madam dame mme mlle queen princess duchess empress chairwoman "
     "spokeswoman congresswoman assemblywoman councilwoman businesswoman actress "
     "mother wife daughter sister widow lady fiancée"},
    {WC_ROYAL,
     "king queen pope emperor empress prince princess tsar czar sultan pharaoh duke "
     "duchess"},
    {WC_ORG,
     "department ministry center centre council committee commission agency bureau "
     "office institute institution university college school academy association "
     "federation union league party bank fund group company corporation corp inc ltd "
     "llc plc limited gmbh co foundation trust society organization organisation "
     "authority board service services court tribunal parliament congress senate "
     "assembly house commons lords government administration cabinet army navy police "
     "guard network news times post journal herald tribune gazette telegraph press "
     "media broadcasting radio television club team hospital clinic laboratory "
     "laboratories lab observatory museum library embassy consulate secretariat forum "
     "alliance coalition front movement watch international airlines airline airways "
     "motors industries holdings systems technologies enterprises partners programme "
     "program exchange reserve treasury command corps brigade regiment battalion "
     "division church diocese directorate inspectorate chamber confederation "
     "syndicate cooperative consortium firm legislature force forces bloc patrol "
     "bulletin chronicle observer courier mirror express mail review insider monitor "
     "digest wire partnership regulator watchdog"},
    {WC_PARTY,
     "labour conservative tory liberal democratic democrat republican green socialist "
     "communist"},
    {WC_PLURAL,
     "officials critics analysts experts witnesses residents protesters authorities "
     "sources reports scientists researchers investigators prosecutors lawmakers "
     "democrats republicans senators members leaders people observers economists "
     "activists officers spokespeople representatives ministers doctors students "
     "workers employees organizers organisers opponents supporters campaigners "
     "diplomats locals villagers citizens voters fans"},
    {WC_ALIAS, "named pseudonym nicknamed alias identified"},
    {WC_PLACE,
     "county counties province district region city town village island islands "
     "airport street avenue square river lake mount mountain valley bay sea ocean gulf "
     "peninsula stadium arena cathedral mosque railway show podcast series festival"},
    {WC_NONAME,
     "north south east northern southern eastern western central upper lower greater"},
    {WC_PERSON,
     "man woman men women boy girl person child teenager teen resident friend "
     "neighbour neighbor victim witness survivor voter user fan local villager citizen "
     "kid baby patient individual driver passenger mother father son daughter wife "
     "husband brother sister protester student"},
    {WC_MEDIA,
     "newspaper daily weekly magazine agency broadcaster network channel outlet "
     "website site tabloid publication paper company firm retailer manufacturer "
     "chain carrier airline utility organisation organization band team club charity "
     "platform app service group party union supermarket startup twitter facebook "
     "instagram youtube tiktok weibo typhoon hurricane storm cyclone city town village"},
};

/* Reporting verbs, one list per combination of VB_* flags. */
static const struct {
    unsigned vb;
    const char *words;
} verb_lists[] = {
    {VB_CLAUSE | VB_INVERT,
     "said says added adds noted notes explained explains remarked "
     "claimed claims insisted insists tweeted replied argued argues stated states "
     "countered opined elaborated joked quipped shouted exclaimed asserted"},
    {VB_CLAUSE, "say believes expects testified contended speculated boasted "
                "complained suggested emphasized emphasised"},
    {VB_CLAUSE | VB_RECIP, "told tells assured cautioned"},
    {VB_CLAUSE | VB_INVERT | VB_NEEDS,
     "commented comments wrote writes responded answered"},
    {VB_NEEDS | VB_INVERT,
     "continued continues announced announces acknowledged admitted confirmed declared "
     "observed warned "
     "warns reaffirmed reasserted"},
    {VB_NEEDS,
     "maintained maintains indicated estimated stressed predicted promised conceded "
     "denied recalled revealed reiterated concluded disclosed mentioned recounted "
     "lamented demanded affirmed alleged alleges underlined spoke speaks decided"},
    {VB_REST | VB_INVERT, "asked"},
    {VB_REST,
     "urged urges pledged vowed accused described envisioned envisaged encouraged "
     "instructed"},
    {VB_ING | VB_CLAUSE,
     "saying adding noting stating explaining claiming insisting arguing remarking "
     "alleging"},
    {VB_ING | VB_CLAUSE | VB_RECIP, "telling"},
    {VB_ING | VB_NEEDS,
     "writing warning commenting announcing acknowledging admitting declaring "
     "stressing emphasizing emphasising suggesting predicting promising observing "
     "maintaining"},
    {VB_ING | VB_REST, "urging pledging vowing describing accusing asking"},
};

/* Reporting phrases of several words; the first word is looked up. */
static const struct {
    const char *words[4];
    unsigned vb;
} verb_phrases[] = {
    {{"pointed", "out", NULL, NULL}, VB_CLAUSE | VB_INVERT},
    {{"points", "out", NULL, NULL}, VB_CLAUSE},
    {{"pointing", "out", NULL, NULL}, VB_CLAUSE | VB_ING},
    {{"went", "on", "to", "say"}, VB_CLAUSE},
    {{"goes", "on", "to", "say"}, VB_CLAUSE},
    {{"went", "on", "to", "add"}, VB_CLAUSE},
    {{"called", "for", NULL, NULL}, VB_REST},
    {{"calls", "for", NULL, NULL}, VB_REST},
    {{"calling", "for", NULL, NULL}, VB_REST | VB_ING},
    {{"called", "on", NULL, NULL}, VB_REST},
    {{"calls", "on", NULL, NULL}, VB_REST},
    {{"calling", "on", NULL, NULL}, VB_REST | VB_ING},
    /* "called the plan a ...": content must hold a quotation (quotes.c) */
    {{"called", NULL, NULL, NULL}, VB_REST | VB_NEEDS},
    {{"calling", NULL, NULL, NULL}, VB_REST | VB_NEEDS | VB_ING},
};

/* Country names and demonyms (lower case, words separated by one space)
 * with the country each stands for. */
static const char *const geo_list[][2] = {
    {"afghanistan", "Afghanistan"},
    {"afghan", "Afghanistan"},
    {"albania", "Albania"},
    {"albanian", "Albania"},
    {"algeria", "Algeria"},
    {"algerian", "Algeria"},
    {"angola", "Angola"},
    {"angolan", "Angola"},
    {"argentina", "Argentina"},
    {"argentine", "Argentina"},
    {"argentinian", "Argentina"},
    {"armenia", "Armenia"},
    {"armenian", "Armenia"},
    {"australia", "Australia"},
    {"australian", "Australia"},
    {"austria", "Austria"},
    {"austrian", "Austria"},
    {"azerbaijan", "Azerbaijan"},
    {"azerbaijani", "Azerbaijan"},
    {"bahrain", "Bahrain"},
    {"bahraini", "Bahrain"},
    {"bangladesh", "Bangladesh"},
    {"bangladeshi", "Bangladesh"},
    {"belarus", "Belarus"},
    {"belarusian", "Belarus"},
    {"belgium", "Belgium"},
    {"belgian", "Belgium"},
    {"benin", "Benin"},
    {"beninese", "Benin"},
    {"bolivia", "Bolivia"},
    {"bolivian", "Bolivia"},
    {"bosnia", "Bosnia"},
    {"bosnian", "Bosnia"},
    {"botswana", "Botswana"},
    {"brazil", "Brazil"},
    {"brazilian", "Brazil"},
    {"britain", "United Kingdom"},
    {"british", "United Kingdom"},
    {"great britain", "United Kingdom"},
    {"bulgaria", "Bulgaria"},
    {"bulgarian", "Bulgaria"},
    {"burkina faso", "Burkina Faso"},
    {"burundi", "Burundi"},
    {"cambodia", "Cambodia"},
    {"cambodian", "Cambodia"},
    {"cameroon", "Cameroon"},
    {"cameroonian", "Cameroon"},
    {"canada", "Canada"},
    {"canadian", "Canada"},
    {"chadian", "Chad"},
    {"chile", "Chile"},
    {"chilean", "Chile"},
    {"china", "China"},
    {"chinese", "China"},
    {"colombia", "Colombia"},
    {"colombian", "Colombia"},
    {"congo", "Congo"},
    {"congolese", "Congo"},
    {"costa rica", "Costa Rica"},
    {"croatia", "Croatia"},
    {"croatian", "Croatia"},
    {"cuba", "Cuba"},
    {"cuban", "Cuba"},
    {"cyprus", "Cyprus"},
    {"cypriot", "Cyprus"},
    {"czech republic", "Czech Republic"},
    {"czechia", "Czech Republic"},
    {"czech", "Czech Republic"},
    {"denmark", "Denmark"},
    {"danish", "Denmark"},
    {"ecuador", "Ecuador"},
    {"ecuadorian", "Ecuador"},
    {"egypt", "Egypt"},
    {"egyptian", "Egypt"},
    {"el salvador", "El Salvador"},
    {"england", "England"},
    {"english", "England"},
    {"eritrea", "Eritrea"},
    {"eritrean", "Eritrea"},
    {"estonia", "Estonia"},
    {"estonian", "Estonia"},
    {"ethiopia", "Ethiopia"},
    {"ethiopian", "Ethiopia"},
    {"fiji", "Fiji"},
    {"finland", "Finland"},
    {"finnish", "Finland"},
    {"france", "France"},
    {"french", "France"},
    {"gabon", "Gabon"},
    {"gambia", "Gambia"},
    {"georgian", "Georgia"},
    {"germany", "Germany"},
    {"german", "Germany"},
    {"ghana", "Ghana"},
    {"ghanaian", "Ghana"},
    {"greece", "Greece"},
    {"greek", "Greece"},
    {"guatemala", "Guatemala"},
    {"guatemalan", "Guatemala"},
    {"guinea", "Guinea"},
    {"haiti", "Haiti"},
    {"haitian", "Haiti"},
    {"honduras", "Honduras"},
    {"honduran", "Honduras"},
    {"hong kong", "Hong Kong"},
    {"hungary", "Hungary"},
    {"hungarian", "Hungary"},
    {"iceland", "Iceland"},
    {"icelandic", "Iceland"},
    {"india", "India"},
    {"indian", "India"},
    {"indonesia", "Indonesia"},
    {"indonesian", "Indonesia"},
    {"iran", "Iran"},
    {"iranian", "Iran"},
    {"iraq", "Iraq"},
    {"iraqi", "Iraq"},
    {"ireland", "Ireland"},
    {"irish", "Ireland"},
    {"israel", "Israel"},
    {"israeli", "Israel"},
    {"italy", "Italy"},
    {"italian", "Italy"},
    {"ivory coast", "Ivory Coast"},
    {"jamaica", "Jamaica"},
    {"jamaican", "Jamaica"},
    {"japan", "Japan"},
    {"japanese", "Japan"},
    {"jordanian", "Jordan"},
    {"kazakhstan", "Kazakhstan"},
    {"kazakh", "Kazakhstan"},
    {"kenya", "Kenya"},
    {"kenyan", "Kenya"},
    {"kosovo", "Kosovo"},
    {"kuwait", "Kuwait"},
    {"kuwaiti", "Kuwait"},
    {"kyrgyzstan", "Kyrgyzstan"},
    {"laos", "Laos"},
    {"latvia", "Latvia"},
    {"latvian", "Latvia"},
    {"lebanon", "Lebanon"},
    {"lebanese", "Lebanon"},
    {"liberia", "Liberia"},
    {"liberian", "Liberia"},
    {"libya", "Libya"},
    {"libyan", "Libya"},
    {"lithuania", "Lithuania"},
    {"lithuanian", "Lithuania"},
    {"luxembourg", "Luxembourg"},
    {"macau", "Macau"},
    {"madagascar", "Madagascar"},
    {"malawi", "Malawi"},
    {"malaysia", "Malaysia"},
    {"malaysian", "Malaysia"},
    {"mali", "Mali"},
    {"malian", "Mali"},
    {"malta", "Malta"},
    {"maltese", "Malta"},
    {"mauritania", "Mauritania"},
    {"mexico", "Mexico"},
    {"mexican", "Mexico"},
    {"moldova", "Moldova"},
    {"moldovan", "Moldova"},
    {"mongolia", "Mongolia"},
    {"mongolian", "Mongolia"},
    {"montenegro", "Montenegro"},
    {"morocco", "Morocco"},
    {"moroccan", "Morocco"},
    {"mozambique", "Mozambique"},
    {"myanmar", "Myanmar"},
    {"namibia", "Namibia"},
    {"nepal", "Nepal"},
    {"nepali", "Nepal"},
    {"nepalese", "Nepal"},
    {"netherlands", "Netherlands"},
    {"dutch", "Netherlands"},
    {"new zealand", "New Zealand"},
    {"nicaragua", "Nicaragua"},
    {"nicaraguan", "Nicaragua"},
    {"niger", "Niger"},
    {"nigerien", "Niger"},
    {"nigeria", "Nigeria"},
    {"nigerian", "Nigeria"},
    {"north korea", "North Korea"},
    {"north korean", "North Korea"},
    {"northern ireland", "Northern Ireland"},
    {"norway", "Norway"},
    {"norwegian", "Norway"},
    {"oman", "Oman"},
    {"omani", "Oman"},
    {"pakistan", "Pakistan"},
    {"pakistani", "Pakistan"},
    {"palestine", "Palestine"},
    {"palestinian", "Palestine"},
    {"panama", "Panama"},
    {"panamanian", "Panama"},
    {"paraguay", "Paraguay"},
    {"peru", "Peru"},
    {"peruvian", "Peru"},
    {"philippines", "Philippines"},
    {"filipino", "Philippines"},
    {"philippine", "Philippines"},
    {"poland", "Poland"},
    {"polish", "Poland"},
    {"portugal", "Portugal"},
    {"portuguese", "Portugal"},
    {"puerto rico", "Puerto Rico"},
    {"puerto rican", "Puerto Rico"},
    {"qatar", "Qatar"},
    {"qatari", "Qatar"},
    {"romania", "Romania"},
    {"romanian", "Romania"},
    {"russia", "Russia"},
    {"russian", "Russia"},
    {"rwanda", "Rwanda"},
    {"rwandan", "Rwanda"},
    {"saudi arabia", "Saudi Arabia"},
    {"saudi", "Saudi Arabia"},
    {"scotland", "Scotland"},
    {"scottish", "Scotland"},
    {"senegal", "Senegal"},
    {"senegalese", "Senegal"},
    {"serbia", "Serbia"},
    {"serbian", "Serbia"},
    {"sierra leone", "Sierra Leone"},
    {"singapore", "Singapore"},
    {"singaporean", "Singapore"},
    {"slovakia", "Slovakia"},
    {"slovak", "Slovakia"},
    {"slovenia", "Slovenia"},
    {"slovenian", "Slovenia"},
    {"somalia", "Somalia"},
    {"somali", "Somalia"},
    {"south africa", "South Africa"},
    {"south african", "South Africa"},
    {"south korea", "South Korea"},
    {"south korean", "South Korea"},
    {"south sudan", "South Sudan"},
    {"spain", "Spain"},
    {"spanish", "Spain"},
    {"sri lanka", "Sri Lanka"},
    {"sri lankan", "Sri Lanka"},
    {"sudan", "Sudan"},
    {"sudanese", "Sudan"},
    {"sweden", "Sweden"},
    {"swedish", "Sweden"},
    {"switzerland", "Switzerland"},
    {"swiss", "Switzerland"},
    {"syria", "Syria"},
    {"syrian", "Syria"},
    {"taiwan", "Taiwan"},
    {"taiwanese", "Taiwan"},
    {"tajikistan", "Tajikistan"},
    {"tanzania", "Tanzania"},
    {"tanzanian", "Tanzania"},
    {"thailand", "Thailand"},
    {"thai", "Thailand"},
    {"tunisia", "Tunisia"},
    {"tunisian", "Tunisia"},
    {"turkey", "Turkey"},
    {"turkish", "Turkey"},
    {"turkmenistan", "Turkmenistan"},
    {"uganda", "Uganda"},
    {"ugandan", "Uganda"},
    {"ukraine", "Ukraine"},
    {"ukrainian", "Ukraine"},
    {"united arab emirates", "United Arab Emirates"},
    {"emirati", "United Arab Emirates"},
    {"united kingdom", "United Kingdom"},
    {"united states", "United States"},
    {"united states of america", "United States"},
    {"american", "United States"},
    {"uruguay", "Uruguay"},
    {"uruguayan", "Uruguay"},
    {"uzbekistan", "Uzbekistan"},
    {"uzbek", "Uzbekistan"},
    {"venezuela", "Venezuela"},
    {"venezuelan", "Venezuela"},
    {"vietnam", "Vietnam"},
    {"vietnamese", "Vietnam"},
    {"wales", "Wales"},
    {"welsh", "Wales"},
    {"yemen", "Yemen"},
    {"yemeni", "Yemen"},
    {"zambia", "Zambia"},
    {"zambian", "Zambia"},
    {"zimbabwe", "Zimbabwe"},
    {"zimbabwean", "Zimbabwe"},
    {"europe", "Europe"},
    {"european", "Europe"},
    {"africa", "Africa"},
    {"african", "Africa"},
    {"asia", "Asia"},
    {"asian", "Asia"},
    {"middle east", "Middle East"},
    {"latin america", "Latin America"},
    {"crimea", "Crimea"},
    {"gaza", "Gaza"},
    {"west bank", "West Bank"},
    {"kashmir", "Kashmir"},
    {"kurdistan", "Kurdistan"},
    {"kurdish", "Kurdistan"},
    /* the states of the United States, but "Georgia", "Virginia" and
     * "Washington", which name a country or people more often */
    {"alabama", "Alabama"},
    {"alaska", "Alaska"},
    {"arizona", "Arizona"},
    {"arkansas", "Arkansas"},
    {"california", "California"},
    {"colorado", "Colorado"},
    {"connecticut", "Connecticut"},
    {"delaware", "Delaware"},
    {"florida", "Florida"},
    {"hawaii", "Hawaii"},
    {"idaho", "Idaho"},
    {"illinois", "Illinois"},
    {"indiana", "Indiana"},
    {"iowa", "Iowa"},
    {"kansas", "Kansas"},
    {"kentucky", "Kentucky"},
    {"louisiana", "Louisiana"},
    {"maine", "Maine"},
    {"maryland", "Maryland"},
    {"massachusetts", "Massachusetts"},
    {"michigan", "Michigan"},
    {"minnesota", "Minnesota"},
    {"mississippi", "Mississippi"},
    {"missouri", "Missouri"},
    {"montana", "Montana"},
    {"nebraska", "Nebraska"},
    {"nevada", "Nevada"},
    {"new hampshire", "New Hampshire"},
    {"new jersey", "New Jersey"},
    {"new mexico", "New Mexico"},
    {"new york", "New York"},
    {"north carolina", "North Carolina"},
    {"north dakota", "North Dakota"},
    {"ohio", "Ohio"},
    {"oklahoma", "Oklahoma"},
    {"oregon", "Oregon"},
    {"pennsylvania", "Pennsylvania"},
    {"rhode island", "Rhode Island"},
    {"south carolina", "South Carolina"},
    {"south dakota", "South Dakota"},
    {"tennessee", "Tennessee"},
    {"texas", "Texas"},
    {"utah", "Utah"},
    {"vermont", "Vermont"},
    {"west virginia", "West Virginia"},
    {"wisconsin", "Wisconsin"},
    {"wyoming", "Wyoming"},
    /* Canadian provinces */
    {"british columbia", "British Columbia"},
    {"alberta", "Alberta"},
    {"saskatchewan", "Saskatchewan"},
    {"manitoba", "Manitoba"},
    {"ontario", "Ontario"},
    {"quebec", "Quebec"},
    {"nova scotia", "Nova Scotia"},
    {"new brunswick", "New Brunswick"},
    {"newfoundland", "Newfoundland"},
    /* Australian states and territories (not "Victoria", a given name) */
    {"new south wales", "New South Wales"},
    {"queensland", "Queensland"},
    {"south australia", "South Australia"},
    {"western australia", "Western Australia"},
    {"tasmania", "Tasmania"},
    {"northern territory", "Northern Territory"},
    /* the largest Indian states */
    {"uttar pradesh", "Uttar Pradesh"},
    {"maharashtra", "Maharashtra"},
    {"bihar", "Bihar"},
    {"west bengal", "West Bengal"},
    {"madhya pradesh", "Madhya Pradesh"},
    {"tamil nadu", "Tamil Nadu"},
    {"rajasthan", "Rajasthan"},
    {"karnataka", "Karnataka"},
    {"gujarat", "Gujarat"},
    {"andhra pradesh", "Andhra Pradesh"},
    {"odisha", "Odisha"},
    {"telangana", "Telangana"},
    {"kerala", "Kerala"},
    {"assam", "Assam"},
    {"punjab", "Punjab"},
    /* Chinese provinces and regions */
    {"guangdong", "Guangdong"},
    {"shandong", "Shandong"},
    {"henan", "Henan"},
    {"sichuan", "Sichuan"},
    {"jiangsu", "Jiangsu"},
    {"hebei", "Hebei"},
    {"hunan", "Hunan"},
    {"hubei", "Hubei"},
    {"zhejiang", "Zhejiang"},
    {"yunnan", "Yunnan"},
    {"fujian", "Fujian"},
    {"guangxi", "Guangxi"},
    {"hainan", "Hainan"},
    {"inner mongolia", "Inner Mongolia"},
    {"xinjiang", "Xinjiang"},
    {"tibet", "Tibet"},
    /* German states (not "Hesse", a surname) */
    {"bavaria", "Bavaria"},
    {"saxony", "Saxony"},
    {"lower saxony", "Lower Saxony"},
    {"brandenburg", "Brandenburg"},
    {"thuringia", "Thuringia"},
    {"north rhine-westphalia", "North Rhine-Westphalia"},
    /* Italian and Spanish regions */
    {"lombardy", "Lombardy"},
    {"tuscany", "Tuscany"},
    {"sicily", "Sicily"},
    {"sardinia", "Sardinia"},
    {"piedmont", "Piedmont"},
    {"veneto", "Veneto"},
    {"catalonia", "Catalonia"},
    {"andalusia", "Andalusia"},
    {"basque country", "Basque Country"},
    {"catalan", "Catalonia"},
    {"mainland china", "China"},
};

#define LEX_MAX   4096
#define LEX_SLOTS 8192 /* power of two, twice LEX_MAX: short probe runs */
#define WORD_MAX  40   /* longer words are in no list */
#define GEO_MAX   (sizeof(geo_list) / sizeof(geo_list[0]))
#define NPHRASES  (sizeof(verb_phrases) / sizeof(verb_phrases[0]))

struct entry {
    const char *w; /* into the lists above, lower case, not NUL-terminated */
    uint8_t n;
    int8_t phrase; /* first verb phrase this word starts, or -1 */
    unsigned cls, vb;
};

/* The words of all lists, one entry per word with the union of its
 * classes, found through an open-addressing hash of the lower-case word:
 * every word of an article is looked up once, so this is the hottest
 * table of the extractor. */
static struct entry lex[LEX_MAX];
static size_t nlex;
static uint16_t lex_slot[LEX_SLOTS]; /* index + 1 into lex, 0 when empty */
static const char *const *geo_sorted[GEO_MAX];
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

/* The entry of the lower-case word w[0..n), or NULL. */
static struct entry *
lex_get(const char *w, size_t n)
{
    for (uint32_t s = (uint32_t)hash_fnv1a(w, n) & (LEX_SLOTS - 1); lex_slot[s] != 0;
         s = (s + 1) & (LEX_SLOTS - 1)) {
        struct entry *e = &lex[lex_slot[s] - 1];

        if (e->n == n && memcmp(e->w, w, n) == 0)
            return e;
    }
    return NULL;
}

/* The entry of w[0..n) (lower case), added with no classes if new. */
static struct entry *
lex_put(const char *w, size_t n)
{
    struct entry *e = lex_get(w, n);
    uint32_t s;

    if (e != NULL || nlex >= LEX_MAX)
        return e;
    for (s = (uint32_t)hash_fnv1a(w, n) & (LEX_SLOTS - 1); lex_slot[s] != 0;
         s = (s + 1) & (LEX_SLOTS - 1))
        ;
    lex[nlex] = (struct entry){w, (uint8_t)n, -1, 0, 0};
    lex_slot[s] = (uint16_t)(nlex + 1);
    return &lex[nlex++];
}

static int
cmp_geo(const void *a, const void *b)
{
    const char *const *x = *(const char *const *const *)a;
    const char *const *y = *(const char *const *const *)b;

    return strcmp(x[0], y[0]);
}

/* Adds each word of a space-separated list with its classes. */
static void
lex_add_list(const char *words, unsigned cls, unsigned vb)
{
    const char *p = words;

    while (*p != '\0') {
        const char *w = p;

        while (*p != '\0' && *p != ' ')
            p++;
        struct entry *e = p > w ? lex_put(w, (size_t)(p - w)) : NULL;

        if (e != NULL) {
            e->cls |= cls;
            e->vb |= vb;
        }
        while (*p == ' ')
            p++;
    }
}

/* Builds the table: the class and verb lists, the first word of each
 * place (so that most words skip geo_lookup) and of each verb phrase. */
static void
lex_init(void)
{
    for (size_t i = 0; i < sizeof(class_lists) / sizeof(class_lists[0]); i++)
        lex_add_list(class_lists[i].words, class_lists[i].cls, 0);
    for (size_t i = 0; i < sizeof(verb_lists) / sizeof(verb_lists[0]); i++)
        lex_add_list(verb_lists[i].words, 0, verb_lists[i].vb);
    for (size_t i = 0; i < GEO_MAX; i++) {
        struct entry *e = lex_put(geo_list[i][0], strcspn(geo_list[i][0], " "));

        if (e != NULL)
            e->cls |= WC_GEO;
    }
    for (size_t k = NPHRASES; k-- > 0;) {
        const char *w = verb_phrases[k].words[0];
        struct entry *e = lex_put(w, strlen(w));

        if (e != NULL)
            e->phrase = (int8_t)k;
    }
    for (size_t i = 0; i < GEO_MAX; i++)
        geo_sorted[i] = geo_list[i];
    qsort(geo_sorted, GEO_MAX, sizeof(geo_sorted[0]), cmp_geo);
}

/* Lower-cases w[0..n) into out (WORD_MAX bytes), writing a curly
 * apostrophe straight so that "won’t" finds "won't".  Returns the
 * length, or 0 when the word is too long to be in any list. */
static size_t
word_lower(const char *w, size_t n, char *out)
{
    size_t k = 0;

    for (size_t j = 0; j < n; j++) {
        if (k + 1 >= WORD_MAX)
            return 0;
        if (j + 2 < n && (unsigned char)w[j] == 0xE2 &&
            memcmp(w + j, "\xE2\x80\x99", 3) == 0) {
            out[k++] = '\'';
            j += 2;
        } else {
            unsigned char c = (unsigned char)w[j];

            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
    return k;
}

/* The entry of a word in any case, or NULL. */
static const struct entry *
lex_find(const char *w, size_t n)
{
    char low[WORD_MAX];
    size_t k;

    pthread_once(&lex_once, lex_init);
    k = word_lower(w, n, low);
    return k > 0 ? lex_get(low, k) : NULL;
}

unsigned
lex_class(const char *w, size_t n)
{
    const struct entry *e = lex_find(w, n);

    return e != NULL ? e->cls : 0;
}

unsigned
lex_tok(const struct doc *d, size_t i)
{
    return i < d->ntok ? d->tok[i].cls : 0;
}

/* The verb phrase (verb_phrases) starting at token i whose first word has
 * entry e, or -1; the first one in the table that matches wins. */
static int
verb_phrase(const struct doc *d, size_t i, const struct entry *e, size_t *len)
{
    if (e == NULL || e->phrase < 0)
        return -1;
    for (size_t k = (size_t)e->phrase; k < NPHRASES; k++) {
        size_t n = 1;

        if (strcmp(verb_phrases[k].words[0], verb_phrases[e->phrase].words[0]) != 0)
            continue;
        while (n < 4 && verb_phrases[k].words[n] != NULL &&
               tok_is(d, i + n, verb_phrases[k].words[n]))
            n++;
        if (n == 4 || verb_phrases[k].words[n] == NULL) {
            *len = n;
            return (int)k;
        }
    }
    return -1;
}

/* Flags and length of the reporting verb at token i with entry e. */
static unsigned
verb_lookup(const struct doc *d, size_t i, const struct entry *e, size_t *len)
{
    int k = verb_phrase(d, i, e, len);

    if (k >= 0)
        return verb_phrases[k].vb;
    *len = 1;
    return e != NULL ? e->vb : 0;
}

unsigned
lex_verb(const struct doc *d, size_t i, size_t *len)
{
    *len = 1;
    if (i >= d->ntok || d->tok[i].vb == 0 || (d->tok[i].flags & TF_INQ) || d->tok[i].poss)
        return 0;
    /* "Karim bin Yusuf Al Said": a capital inside a sentence names */
    if ((d->tok[i].flags & TF_CAP) && !(d->tok[i].flags & TF_SENT) && i > 0 &&
        !(d->tok[i - 1].flags & TF_QOPEN))
        return 0;
    *len = d->tok[i].vlen;
    return d->tok[i].vb;
}

/* The country for the words at token i, looked up. */
static const char *
geo_lookup(const struct doc *d, size_t i, size_t *len)
{
    char key[80];

    pthread_once(&lex_once, lex_init);
    *len = 0;
    if (i >= d->ntok || !(d->tok[i].flags & TF_CAP) || !(lex_tok(d, i) & WC_GEO))
        return NULL;
    for (size_t words = 4; words >= 1; words--) {
        size_t k = 0;
        bool ok = i + words <= d->ntok;

        for (size_t j = 0; ok && j < words; j++) {
            size_t n;
            const char *s = tok_word(d, i + j, &n);

            ok = d->tok[i + j].kind == TK_WORD && k + n + 2 < sizeof(key) &&
                 (j + 1 == words || d->tok[i + j].poss == 0);
            for (size_t c = 0; ok && c < n; c++)
                key[k++] = (char)tolower((unsigned char)s[c]);
            if (ok && j + 1 < words)
                key[k++] = ' ';
        }
        if (!ok)
            continue;
        key[k] = '\0';
        const char *probe[2] = {key, NULL};
        const char *const *pp = probe;
        const char *const *const *hit =
            bsearch(&pp, geo_sorted, GEO_MAX, sizeof(geo_sorted[0]), cmp_geo);

        if (hit != NULL) {
            *len = words;
            return (*hit)[1];
        }
    }
    *len = 0;
    return NULL;
}

const char *
lex_geo(const struct doc *d, size_t i, size_t *len)
{
    *len = 0;
    if (i >= d->ntok || d->tok[i].geo == 0)
        return NULL;
    return geo_lookup(d, i, len);
}

/* Whether token i is an acronym among ordinary words ("US President",
 * "the WHO said"): a name, not the function word it spells ("us", "who").
 * In a stretch of capitals ("WE ARE READY") it is the word. */
static bool
acronym_alone(const struct doc *d, size_t i)
{
    const unsigned caps = TF_ALLCAPS;

    return (d->tok[i].flags & caps) &&
           (i == 0 || d->tok[i - 1].kind != TK_WORD || !(d->tok[i - 1].flags & caps)) &&
           (i + 1 >= d->ntok || d->tok[i + 1].kind != TK_WORD ||
            !(d->tok[i + 1].flags & caps));
}

void
lex_annotate(struct doc *d)
{
    const unsigned function =
        WC_STOP | WC_PREP | WC_AUX | WC_PASSIVE | WC_NEG | WC_PRONOUN | WC_ADVERB;

    pthread_once(&lex_once, lex_init);
    for (size_t i = 0; i < d->ntok; i++) {
        struct tok *t = &d->tok[i];
        size_t len;

        if (t->kind != TK_WORD)
            continue;
        const char *w = tok_word(d, i, &len);
        const struct entry *e = lex_find(w, len);

        t->cls = e != NULL ? e->cls : 0;
        if (acronym_alone(d, i))
            t->cls &= ~function;
        t->vb = (uint8_t)verb_lookup(d, i, e, &len);
        t->vlen = (uint8_t)len;
        t->geo = geo_lookup(d, i, &len) != NULL ? (uint8_t)len : 0;
    }
}
