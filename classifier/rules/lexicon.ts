// Word lists the rules read. Verbs carry the category they suggest on their own; `ambiguous` verbs are
// settled by their object and context in verbs.ts, `generic` verbs (manage, handle) say nothing until an
// action list or a more specific verb follows. Object lists raise or lower risk within a category.
import type { Category } from '../../data/model.ts';

export type VerbKind = 'plain' | 'ambiguous' | 'generic';
export interface VerbInfo {
  cat: Category;
  kind: VerbKind;
}

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

const READ = set(`get list search find read fetch show describe view query retrieve lookup look inspect
  check count browse explore analyze analyse summarize summarise convert calculate compute validate lint
  diff status whoami echo render preview export scrape crawl extract geocode screenshot snapshot capture
  watch poll wait ping verify explain estimate compare think reason parse format translate detect diagnose
  troubleshoot audit review return debug test inspect measure scan sample simulate demonstrate recommend
  suggest transcribe classify predict embed tokenize identify locate discover peek tail cat ls grep stat
  info fetch download open log resolve generate print dump aggregate filter rank score plan evaluate
  select ask`);

const WRITE = set(`create add new insert update edit modify change set put patch rename move copy clone
  fork append write save upload import install publish release send post reply respond comment react mention
  invite assign unassign label star unstar follow unfollow subscribe unsubscribe enable disable toggle start
  stop restart pause resume restore cancel approve reject merge rebase commit push pull stage unstage
  checkout switch grant revoke share unshare mute unmute schedule reschedule book order purchase buy sell pay
  transfer refund charge mark close lock unlock protect unprotect archive unarchive connect disconnect login
  logout authenticate authorize resize configure register unregister submit request trigger sync refresh
  reload scale rollback revert migrate apply link unlink attach detach bookmark duplicate activate deactivate
  accept decline dismiss acknowledge ack snooze notify email compose draft provision allocate reserve enqueue
  emit record store remember memorize upsert increment decrement replace fill complete finish end begin init
  initialize setup tag fix format sort upgrade downgrade assign annotate confirm vote like unlike pin unpin
  transition escalate reopen invite leave join broadcast announce tweet message deploy withdraw deposit
  swap stake mint burn bridge reorder reprioritize prioritize rearrange reposition pop abort play turn dim
  skip`);

const DESTRUCTIVE = set(`delete remove del rm drop purge destroy wipe erase truncate clear reset kill
  terminate uninstall discard prune clean overwrite flush evict shred nuke expunge obliterate empty trash
  deprovision decommission cleanup`);

const EXECUTE = set(`run exec execute eval invoke call spawn shell bash sh interpret launch navigate goto
  visit click dblclick tap type press hover drag scroll focus rerun dispatch interact automate go`);

const GENERIC = set(`manage handle perform process do use make operate control administer administrate
  api tool mcp`);

/** Verbs that mean different things depending on what they act on; resolved in verbs.ts. */
const AMBIGUOUS = set(`set run update clear reset apply submit execute open download generate log resolve
  delete remove start trigger select type press fill drag upload write replace evaluate close post push
  cancel install deploy burn confirm scroll focus hover clean prune tag draft format sort record fix
  trash empty call dispatch go skip`);

export const LEXICON = new Map<string, VerbInfo>();
function put(words: Set<string>, cat: Category): void {
  for (const w of words) LEXICON.set(w, { cat, kind: AMBIGUOUS.has(w) ? 'ambiguous' : 'plain' });
}
put(READ, 'Read');
put(WRITE, 'Write');
put(DESTRUCTIVE, 'Destructive');
put(EXECUTE, 'Execute');
for (const w of GENERIC) LEXICON.set(w, { cat: 'Write', kind: 'generic' });

/** Look a word up, trying simple English inflections (creates, deleted, searching, retrieves). */
export function lookupVerb(
  word: string,
  inflected: boolean,
): { verb: string; info: VerbInfo; derived?: boolean } | undefined {
  const hit = LEXICON.get(word);
  if (hit) return { verb: word, info: hit };
  // re- and un- verbs we do not list act like their stem: reassign, reindex, unpublish, unarchive.
  if (word.length > 5 && (word.startsWith('re') || word.startsWith('un'))) {
    const stem = LEXICON.get(word.slice(2));
    if (stem && stem.kind !== 'generic' && stem.cat !== 'Read')
      return {
        verb: word,
        info: { cat: word.startsWith('un') ? 'Write' : stem.cat, kind: 'plain' },
        derived: true,
      };
  }
  if (!inflected || word.length < 4) return undefined;
  const tries: string[] = [];
  if (word.endsWith('ies')) tries.push(word.slice(0, -3) + 'y');
  if (word.endsWith('es')) tries.push(word.slice(0, -2));
  if (word.endsWith('s')) tries.push(word.slice(0, -1));
  if (word.endsWith('ed')) tries.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('ing')) tries.push(word.slice(0, -3), word.slice(0, -3) + 'e');
  for (const t of tries) {
    const info = LEXICON.get(t);
    if (info) return { verb: t, info };
  }
  return undefined;
}

/** Objects that make run/start/trigger mean executing something. */
export const EXEC_OBJECTS = set(`pipeline pipelines workflow workflows job jobs build builds command commands
  cmd script scripts code snippet sql javascript js python shell bash program test tests container
  containers pod pods lambda notebook cell macro playbook action actions pipelinerun taskrun migration
  migrations function functions`);

/** Session or view state: changing it leaves the user's data untouched (Write/low). */
export const VIEW_OBJECTS = set(`session window viewport view zoom theme layout sidebar panel cursor
  selection highlight tab tabs connection simulated simulation demo logging subscriber subscription
  updates focus size screen console verbose debug mode_ui category categories`);

/** Things other people see or rely on: changing them is Write/high. */
export const SHARED_OBJECTS = set(`message messages comment comments issue issues pull pr prs merge mr mrs
  review reviews discussion discussions thread reply replies post posts tweet tweets email emails note notes
  approval approvals permission permissions access role roles member members visibility protection webhook
  webhooks secret secrets setting settings infrastructure cluster clusters downtime downtimes alert alerts incident incidents release
  releases deployment production invitation invite announcement broadcast status_page sms policy policies user users collaborator collaborators`);

/** Objects whose removal is trivially undone by adding them back (Write, not Destructive). */
export const READDABLE_OBJECTS = set(`reaction reactions emoji award awards star stars like likes vote votes
  bookmark bookmarks assignee assignees reviewer reviewers subscription subscriptions watcher watchers
  follower label_from pin pins`);

/** Grants and protections: removing them changes who can do what (Write/high), loses no data. */
export const ACCESS_OBJECTS = set(`access permission permissions role roles member members team teams
  collaborator collaborators protection protections grant grants membership memberships`);

/** Small, named, low-value losses (Destructive/medium). */
export const SMALL_LOSS_OBJECTS = set(`observation observations relation relations draft drafts index indexes
  indices cache caches temp tmp bookmark session sessions highlight tag tags`);

/** Whole datastores (Destructive/critical). */
export const WHOLE_STORE_OBJECTS = set(`database databases db dbs datastore keyspace cluster clusters
  everything flushall flushdb`);

/** Reads of these are reads of private data (Read/medium). */
export const PRIVATE_OBJECTS = set(`contents file files record records row rows document documents
  message messages history replies reply thread threads email emails inbox mail log logs user users profile
  profiles comment comments page pages value values code conversation conversations transcript transcripts
  attachment attachments data event events contact contacts calendar note notes channel channels dm
  chat chats customer customers order orders invoice invoices transaction transactions payment payments
  account accounts member members body media traffic trace traces issue issues`);

/** Reads of these return credentials (Read/high). */
export const SECRET_OBJECTS = set(`secret secrets password passwords credential credentials apikey apikeys
  token tokens cookie cookies kubeconfig keychain vault privatekey keys key env dotenv`);

/** Words that, next to a secret word, mean the read is about the secret's metadata, not its value. */
export const SECRET_METADATA = set(`permission permissions scope scopes info metadata count expiry
  expiration usage list names status`);

/** Financial objects and verbs. */
export const FINANCIAL_WORDS = set(`payment payments invoice invoices refund refunds charge charges
  transfer transfers amount price prices currency wallet balance balances bank iban card cards payout
  payouts billing subscription checkout order orders purchase trade trades swap stake token_transfer
  crypto usdc eth btc withdraw withdrawal deposit`);
export const MONEY_MOVING_VERBS = set(`pay transfer withdraw send purchase buy sell trade swap stake bridge
  mint burn payout charge refund`);

/** Words that mark personal data. */
export const PERSONAL_WORDS = set(`email emails phone phones address addresses contact contacts profile
  profiles user users person people customer customers patient patients employee employees birthday
  birthdate ssn passport dob`);

/** Outbound communication. */
export const OUTBOUND_VERBS = set(`send post reply respond notify email message broadcast announce tweet
  publish invite mention sms page`);

/** Browser words: a tool among these drives a browser with the user's authority. */
export const BROWSER_WORDS = set(`browser puppeteer playwright selenium webdriver chromium chrome firefox
  tab tabs page webpage dom element selector xpath`);

/** Parameter names that carry code, commands or raw query text. */
export const EXEC_PARAMS_STRONG = set(`command commands cmd shell script scripts sql bash powershell
  executable executablepath launchoptions cypher sparql`);
export const EXEC_PARAMS_CONTEXT = set(`code expression function js javascript python source program
  snippet statement statements query pipeline eval`);

/** Boolean flags that make a write lose data. */
export const DESTRUCTIVE_FLAGS = set(`force forced forcewithlease forcedelete hard overwrite purge permanent
  permanently droptarget intrash trash delete remove prune wipe truncate cascade deleteall clobber
  replaceall recreate`);

/** Parameter names that name recipients of outbound messages. */
export const RECIPIENT_PARAMS = set(`to recipients recipient cc bcc channel channelid chatid phone
  phonenumber toaddress webhookurl attendees participants invitees`);

/** Parameters that point at local files. */
export const LOCAL_PATH_PARAMS = set(`path paths filepath filepaths localpath outputdir outputpath dir
  directory localdir csvfilepath savepath destinationpath`);
