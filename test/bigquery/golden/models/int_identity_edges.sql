-- intermediate/int_identity_edges.sql: first build (table)

CREATE OR REPLACE TABLE `acme-analytics`.`staging`.`int_identity_edges` AS
-- The match graph, on record ids. Every rule is named (transform/macros/match-rules.ts, where their
-- order makes one stronger than the next) and stored as its number; a pair of records linked by
-- several rules keeps the strongest. The rules:
-- - crm_merge: a record the CRM merged away is linked to its survivor (int_crm_merges).
-- - must_link: a pair the user says is one person (int_identity_overrides).
-- - email: the same valid, non-role email, a record's other emails included.
-- - phone: the same E.164 phone and extension, when the number is personal. A number several names
--   use (two different canonical names: Bob and Robert Smith are one name) or a company's main
--   number is shared: it never links on its own, it only supports a name (name_phone).
-- - name_company_domain / name_company_name / name_phone: the same full name (generational suffix
--   included) at the same company domain, at the same company name (legal forms removed: how a
--   company known only by its name is matched), or on the same shared phone. Each record's company
--   is what it (or its CRM company) says, never borrowed from other records, so a change to one
--   record relinks no other. These never fire when the records carry conflicting evidence: two
--   different emails at one domain (work addresses at the company, or two addresses at one mail
--   provider), two different personal phones, two company domains, or a CRM holding the name at that
--   company twice (two unmerged records of one CRM object that share neither one email nor one
--   personal phone; two that do are that CRM's duplicates of one person, not two people). Two people
--   with one name at one company are namesakes, not one person, so the whole name group is left
--   unlinked.
-- - near_name (config models.identity.nearNames, off by default): a nickname (the nicknames() table)
--   or one edit in the first name, or one edit in the last name, at the same company, with the same
--   generational suffix and no conflicting evidence between the two records.
-- Records sharing a key are linked to the smallest record of that key (a star, not every pair: a key
-- shared by n records costs n edges, not n²); edges are stored in both directions for the component
-- search. Keys are compared as integers: email and phone as the hash_ids computed in staging, the
-- name keys hashed here with group_hash (only compared within this query).
with people as (
  select
    record_id,
    source_name,
    object,
    email,
    email_key,
    alt_emails,
    phone,
    phone_ext,
    phone_key,
    first_key,
    last_key,
    name_suffix,
    name_key,
    company_domain,
    company_name_key,
    merged_into_id
  from `acme-analytics`.`staging`.`int_person_records` as p
),
nicknames as (
  -- The nickname table is a literal of a few hundred lines: inlined once, read three times below.
  select nickname, name from (SELECT NULLIF(SPLIT(literal_line, '\t')[SAFE_OFFSET(0)], '') AS `nickname`, NULLIF(SPLIT(literal_line, '\t')[SAFE_OFFSET(1)], '') AS `name` FROM UNNEST(SPLIT('abby\tabigail\nabe\tabraham\nal\talbert\nal\talfred\nal\talan\nal\tallan\nal\talexander\nalex\talexander\nalex\talexandra\nalex\talexis\nali\talison\nali\talice\nandy\tandrew\nandy\tandreas\ndrew\tandrew\nangie\tangela\nannie\tann\nannie\tanne\nannie\tanna\ntony\tanthony\ntony\tantonio\ntony\tanton\nart\tarthur\nbarb\tbarbara\nbabs\tbarbara\nben\tbenjamin\nben\tbenedict\nbenny\tbenjamin\nbernie\tbernard\nbert\talbert\nbert\therbert\nbert\trobert\nbeth\telizabeth\nbeth\tbethany\nbetsy\telizabeth\nbetty\telizabeth\nbill\twilliam\nbilly\twilliam\nwill\twilliam\nwilly\twilliam\nliam\twilliam\nbob\trobert\nbobby\trobert\nrob\trobert\nrob\troberto\nrobbie\trobert\nbrad\tbradley\ncathy\tcatherine\ncathy\tcathleen\nkate\tkatherine\nkate\tcatherine\nkate\tkathleen\nkatie\tkatherine\nkatie\tcatherine\nkatie\tkathleen\nkathy\tkatherine\nkathy\tkathleen\nkat\tkatherine\nkat\tcatherine\ncharlie\tcharles\ncharlie\tcharlotte\nchuck\tcharles\nchris\tchristopher\nchris\tchristine\nchris\tchristina\nchris\tchristian\nkit\tchristopher\ncindy\tcynthia\ndan\tdaniel\ndanny\tdaniel\ndave\tdavid\ndavy\tdavid\ndeb\tdeborah\ndebbie\tdeborah\ndick\trichard\nrick\trichard\nrick\tricardo\nricky\trichard\nrich\trichard\ndon\tdonald\ndonny\tdonald\ndoug\tdouglas\ned\tedward\ned\tedwin\ned\tedmund\neddie\tedward\nted\tedward\nted\ttheodore\nteddy\tedward\nteddy\ttheodore\nned\tedward\nliz\telizabeth\nlizzie\telizabeth\neliza\telizabeth\nelise\telizabeth\nellie\teleanor\nellie\tellen\nfran\tfrances\nfran\tfrancis\nfrank\tfrancis\nfrank\tfranklin\nfrank\tfrancesco\nfrankie\tfrances\nfrankie\tfrancis\nfred\tfrederick\nfred\talfred\nfreddie\tfrederick\ngabe\tgabriel\ngabby\tgabriella\ngabby\tgabrielle\ngene\teugene\ngeoff\tgeoffrey\njeff\tjeffrey\njeff\tgeoffrey\ngreg\tgregory\nhank\thenry\nharry\thenry\nharry\tharold\nhal\thenry\nhal\tharold\nherb\therbert\njack\tjohn\njack\tjacob\njohnny\tjohn\njohnny\tjonathan\njon\tjonathan\njon\tjohn\njim\tjames\njimmy\tjames\njamie\tjames\njan\tjanet\njan\tjanice\njen\tjennifer\njenny\tjennifer\njerry\tgerald\njerry\tjerome\njess\tjessica\njessie\tjessica\njoe\tjoseph\njoey\tjoseph\njo\tjoanne\njo\tjosephine\njo\tjoanna\njosh\tjoshua\njudy\tjudith\njulie\tjulia\njulie\tjuliana\nken\tkenneth\nkenny\tkenneth\nkim\tkimberly\nlarry\tlawrence\nlarry\tlaurence\nlen\tleonard\nlenny\tleonard\nleo\tleonard\nleo\tleonardo\nlou\tlouis\nlou\tlouise\nlucy\tlucille\nmaggie\tmargaret\nmeg\tmargaret\npeggy\tmargaret\nmarge\tmargaret\nmarge\tmarjorie\ngreta\tmargaret\nmatt\tmatthew\nmatt\tmatthias\nmax\tmaximilian\nmax\tmaxwell\nmike\tmichael\nmikey\tmichael\nmick\tmichael\nmickey\tmichael\nmitch\tmitchell\nmolly\tmary\npolly\tmary\nnate\tnathan\nnate\tnathaniel\nnat\tnathan\nnat\tnatalie\nnat\tnathaniel\nnick\tnicholas\nnick\tnicolas\nnicky\tnicholas\nnicky\tnicole\nnikki\tnicole\npam\tpamela\npat\tpatrick\npat\tpatricia\npatty\tpatricia\ntrish\tpatricia\npaddy\tpatrick\npete\tpeter\nphil\tphilip\nphil\tphillip\nray\traymond\nron\tronald\nronnie\tronald\nros\trosalind\nros\trosamund\nruss\trussell\nsam\tsamuel\nsam\tsamantha\nsammy\tsamuel\nsammy\tsamantha\nsandy\tsandra\nsandy\talexandra\nsally\tsarah\nsteve\tsteven\nsteve\tstephen\nstevie\tsteven\nstevie\tstephen\nstu\tstuart\nsue\tsusan\nsue\tsuzanne\nsusie\tsusan\nsuzy\tsusan\nterry\tterence\nterry\ttheresa\ntess\ttheresa\ntheo\ttheodore\ntom\tthomas\ntommy\tthomas\ntim\ttimothy\ntimmy\ttimothy\ntoby\ttobias\nval\tvalerie\nvicky\tvictoria\nvic\tvictor\nvic\tvictoria\nvince\tvincent\nwalt\twalter\nwally\twalter\nzach\tzachary\nzack\tzachary\nsepp\tjosef\nsepp\tjoseph\nbeppe\tgiuseppe\npepe\tjose\npaco\tfrancisco\nlola\tdolores\nmanu\temmanuel\nmanu\tmanuel\nsasha\talexander\nsasha\talexandra\nmisha\tmikhail\ndima\tdmitri\nkasia\tkatarzyna\nhans\tjohannes\njens\tjohannes\nlena\thelena\nlena\tmagdalena\ningo\tingmar', '\n')) AS `literal_line`) as n
),
canonical_first as (
  -- A nickname of exactly one name stands for that name (bob → robert); any other name for itself.
  select nickname, min(name) as name
  from nicknames
  group by nickname
  having count(*) = 1
),
nickname_pairs as (
  select nickname as a, name as b from nicknames
  union all
  select name, nickname from nicknames
),
named_phones as (
  -- Every number with the name of each record that has it (nicknames folded).
  select p.phone_key, p.last_key || '|' || coalesce(c.name, p.first_key) as name
  from people as p
  left join canonical_first as c on c.nickname = p.first_key
  where p.phone_key is not null and p.first_key is not null and p.last_key is not null
),
phone_names as (
  -- The numbers with more than one name on them (compared as hashes first: most numbers have one).
  select phone_key
  from named_phones
  group by phone_key
  having min(FARM_FINGERPRINT(name)) <> max(FARM_FINGERPRINT(name))
),
phone_name_pairs as (
  -- Their first and last name in order.
  select
    phone_key,
    SPLIT(lo, '|')[SAFE_OFFSET(0)] as lo_last,
    SPLIT(lo, '|')[SAFE_OFFSET(1)] as lo_first,
    SPLIT(hi, '|')[SAFE_OFFSET(0)] as hi_last,
    SPLIT(hi, '|')[SAFE_OFFSET(1)] as hi_first
  from (
    select n.phone_key, min(n.name) as lo, max(n.name) as hi
    from named_phones as n
    join phone_names as m on m.phone_key = n.phone_key
    group by n.phone_key
  ) as names
),
shared_phones as (
  -- Two names on one number that are not spellings of one name — a first name or its nickname (Bob /
  -- Robert, Chris / Christopher) with a last name at most two edits away (a typo: Lovelace /
  -- Lovelcae) — are two people: the number is shared. So is every company's main number. (Only the
  -- first and the last name in order are compared: enough for the pair of records most numbers have.)
  select phone_key
  from (
    select n.phone_key
    from phone_name_pairs as n
    left join nickname_pairs as np on np.a = n.lo_first and np.b = n.hi_first
    where not (
      (n.lo_first = n.hi_first or np.a is not null)
      and (
        n.lo_last = n.hi_last
        or (length(n.lo_last) >= 4 and length(n.hi_last) >= 4 and EDIT_DISTANCE(n.lo_last, n.hi_last) <= 2)
      )
    )
    union all
    select phone_key from `acme-analytics`.`staging`.`int_company_sources` where phone_key is not null
  ) as s
  group by phone_key
),
crm_objects as (
  -- Each CRM object (a source's contacts, leads, persons…) as one bit, to count the objects of a
  -- group in one aggregate (bit_or, then bit_count). At most 62 of them.
  select source_name, object, row_number() over (order by source_name, object) - 1 as bit_index
  from people
  group by source_name, object
),
evidence as (
  -- What may contradict a name match: a personal phone, an email — two different work emails (at
  -- the company's domain), or two different addresses at one other domain (one mail provider) are
  -- two people's — and the company's domain. Only the columns read below: a CTE read several times is
  -- kept in memory whole (DuckDB), and the email, source and object are only needed here.
  select
    p.record_id,
    p.email_key,
    p.alt_emails,
    p.phone,
    p.phone_ext,
    p.first_key,
    p.last_key,
    p.name_suffix,
    p.name_key,
    p.company_domain,
    p.company_name_key,
    case when s.phone_key is null then p.phone_key end as personal_phone,
    s.phone_key as shared_phone,
    case when NULLIF(SPLIT(p.email, '@')[SAFE_OFFSET(1)], '') = p.company_domain then p.email_key end as work_email,
    case when NULLIF(SPLIT(p.email, '@')[SAFE_OFFSET(1)], '') <> p.company_domain or p.company_domain is null then p.email_key end as other_email,
    case
      when p.email_key is not null and (NULLIF(SPLIT(p.email, '@')[SAFE_OFFSET(1)], '') <> p.company_domain or p.company_domain is null)
        then FARM_FINGERPRINT(NULLIF(SPLIT(p.email, '@')[SAFE_OFFSET(1)], ''))
    end as other_domain,
    -- The company as the record itself knows it (its own or its CRM company's domain, else name):
    -- no other record's data decides it, so a change elsewhere never relinks this one. (DuckDB's hash
    -- of NULL is a number, BigQuery's FARM_FINGERPRINT of NULL is NULL: test first.)
    case when p.company_domain is not null then FARM_FINGERPRINT(p.company_domain) end as company_domain_key,
    coalesce(p.company_domain, p.company_name_key) as company_block,
    case when p.merged_into_id is null and o.bit_index < 62 then cast(1 as INT64) << o.bit_index end as crm_bit
  from people as p
  left join shared_phones as s on s.phone_key = p.phone_key
  left join crm_objects as o on o.source_name = p.source_name and o.object = p.object
),
strong_keys as (
  -- The email and phone rules: a shared key links, whatever else the records say.
  select record_id, 3 as rule, email_key as key_id
  from evidence
  where email_key is not null
  union all
  select e.record_id, 3, CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(alt_email)), 1, 15)) AS INT64)
  from evidence as e, UNNEST(SPLIT(e.alt_emails, ';')) AS `alt_email`
  where e.alt_emails is not null and COALESCE(REGEXP_CONTAINS(alt_email, r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"), FALSE) and not COALESCE(SPLIT(alt_email, '@')[SAFE_OFFSET(0)] IN ('info', 'sales', 'support', 'admin', 'contact', 'hello', 'office', 'team', 'billing', 'marketing', 'help', 'service', 'enquiries', 'inquiries', 'careers', 'jobs', 'hr', 'accounts', 'finance', 'webmaster', 'postmaster', 'noreply', 'no-reply', 'donotreply'), FALSE)
  union all
  select record_id, 4, personal_phone
  from evidence
  where personal_phone is not null
),
name_keys as (
  -- The name rules: the name at the company domain, the name at the company name (legal forms
  -- removed: how a company known only by its name is matched), the name on a shared phone; each
  -- record with the evidence that may contradict it.
  select
    record_id,
    5 as rule,
    FARM_FINGERPRINT(name_key || '@' || company_domain) as key_id,
    email_key,
    work_email,
    other_email,
    other_domain,
    personal_phone,
    company_domain_key,
    crm_bit
  from evidence
  where name_key is not null and company_domain is not null
  union all
  select
    record_id,
    6,
    FARM_FINGERPRINT(name_key || '|' || company_name_key),
    email_key,
    work_email,
    other_email,
    other_domain,
    personal_phone,
    company_domain_key,
    crm_bit
  from evidence
  where name_key is not null and company_name_key is not null
  union all
  select
    record_id,
    7,
    FARM_FINGERPRINT(name_key || '#' || phone || coalesce(';ext=' || phone_ext, '')),
    email_key,
    work_email,
    other_email,
    other_domain,
    personal_phone,
    company_domain_key,
    crm_bit
  from evidence
  where name_key is not null and shared_phone is not null
),
anchors as (
  select rule, key_id, min(record_id) as anchor_id
  from strong_keys
  group by rule, key_id
  having count(*) > 1
),
name_candidates as (
  -- Keys several records share, unless what they carry says two people: two different personal
  -- phones, two company domains, two different work emails, or two different addresses at one other
  -- domain (compared exactly when the group has one such domain). min = max is "at most one distinct
  -- value", far cheaper than count(distinct); one pass over the keys. held_twice: some CRM object
  -- holds more than one unmerged record of the key (more records than objects), checked below.
  select
    rule,
    key_id,
    min(record_id) as anchor_id,
    count(crm_bit) > coalesce(bit_count(bit_or(crm_bit)), 0) as held_twice
  from name_keys
  group by rule, key_id
  having count(*) > 1
    and coalesce(min(personal_phone) = max(personal_phone), true)
    and coalesce(min(company_domain_key) = max(company_domain_key), true)
    and coalesce(min(work_email) = max(work_email), true)
    and not coalesce(min(other_domain) = max(other_domain) and min(other_email) <> max(other_email), false)
),
crm_namesakes as (
  -- The keys a CRM holds twice as two people: two or more unmerged records of one CRM object that do
  -- not all share one email or one personal phone. Records of one CRM that do share one are that
  -- CRM's unmerged duplicates of one person (the email or phone rule links them anyway), not
  -- namesakes, so they do not keep the name's other records apart. Only the few held_twice keys are
  -- grouped again.
  select distinct k.rule, k.key_id
  from name_keys as k
  join name_candidates as c on c.rule = k.rule and c.key_id = k.key_id
  where c.held_twice and k.crm_bit is not null
  group by k.rule, k.key_id, k.crm_bit
  having count(*) > 1
    and not coalesce(min(k.email_key) = max(k.email_key) and count(k.email_key) = count(*), false)
    and not coalesce(min(k.personal_phone) = max(k.personal_phone) and count(k.personal_phone) = count(*), false)
),
name_anchors as (
  select c.rule, c.key_id, c.anchor_id
  from name_candidates as c
  left join crm_namesakes as n on n.rule = c.rule and n.key_id = c.key_id
  where n.key_id is null
),
near_candidates as (
  -- Same company and last name, another first name.
  select a.record_id as a_id, b.record_id as b_id
  from evidence as a
  join evidence as b on b.company_block = a.company_block and b.last_key = a.last_key
  left join canonical_first as ca on ca.nickname = a.first_key
  left join canonical_first as cb on cb.nickname = b.first_key
  left join nickname_pairs as np on np.a = a.first_key and np.b = b.first_key
  where FALSE
    and a.record_id < b.record_id
    and a.first_key <> b.first_key
    and (
      coalesce(ca.name, a.first_key) = coalesce(cb.name, b.first_key)
      or np.a is not null
      or (
        length(a.first_key) >= 4 and length(b.first_key) >= 4
        and substr(a.first_key, 1, 1) = substr(b.first_key, 1, 1)
        and EDIT_DISTANCE(a.first_key, b.first_key) <= 1
      )
    )
    and coalesce(a.name_suffix, '') = coalesce(b.name_suffix, '')
  union all
  -- Same company and first name, a last name one edit away.
  select a.record_id, b.record_id
  from evidence as a
  join evidence as b on b.company_block = a.company_block and b.first_key = a.first_key
  where FALSE
    and a.record_id < b.record_id
    and a.last_key <> b.last_key
    and length(a.last_key) >= 5 and length(b.last_key) >= 5
    and substr(a.last_key, 1, 1) = substr(b.last_key, 1, 1)
    and EDIT_DISTANCE(a.last_key, b.last_key) <= 1
    and coalesce(a.name_suffix, '') = coalesce(b.name_suffix, '')
),
near_pairs as (
  select c.a_id, c.b_id
  from near_candidates as c
  join evidence as a on a.record_id = c.a_id
  join evidence as b on b.record_id = c.b_id
  where coalesce(a.personal_phone = b.personal_phone, true)
    and coalesce(a.work_email = b.work_email, true)
    and coalesce(a.other_domain <> b.other_domain or a.other_email = b.other_email, true)
    and coalesce(a.company_domain_key = b.company_domain_key, true)
),
links as (
  select k.record_id, a.anchor_id as neighbor_id, k.rule
  from strong_keys as k
  join anchors as a on a.rule = k.rule and a.key_id = k.key_id
  where k.record_id <> a.anchor_id
  union all
  select k.record_id, a.anchor_id, k.rule
  from name_keys as k
  join name_anchors as a on a.rule = k.rule and a.key_id = k.key_id
  where k.record_id <> a.anchor_id
  union all
  select record_id, merged_into_id, 1 from people where merged_into_id is not null
  union all
  select record_id, other_record_id, 2
  from `acme-analytics`.`staging`.`int_identity_overrides`
  where kind = 'must_link' and record_id is not null and other_record_id is not null
    and record_id <> other_record_id
  union all
  select a_id, b_id, 8 from near_pairs
),
pairs as (
  -- One row per linked pair whichever way it was found, with its strongest rule.
  select least(record_id, neighbor_id) as low_id, greatest(record_id, neighbor_id) as high_id, min(rule) as rule
  from links
  group by least(record_id, neighbor_id), greatest(record_id, neighbor_id)
)
select low_id as record_id, high_id as neighbor_id, rule from pairs
union all
select high_id, low_id, rule from pairs;
