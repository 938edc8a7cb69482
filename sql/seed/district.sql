-- A deterministic synthetic district. Parameters: :n students, :schools,
-- :families, :staff, :seed, :year (end year), :all_reasons (the mask with every
-- contact reason set, from the plugin's vocabulary) and the dates below. Every
-- "random" choice is a hash of an id: ((id * M + :seed * 7919) % 1000), read as
-- per-mille, with a different multiplier M per attribute.
--
-- Ids: students 1..:n; family f has guardian A = :n + 2f - 1 and, in 92% of
-- families, guardian B = :n + 2f; staff k is :n + 2 * :families + k. A student
-- i belongs to family (i - 1) * 5 / 6 + 1 (1.2 students per family): seed_n.family.

INSERT INTO school (school_id, name)
SELECT i, 'School ' || i FROM seed_n WHERE i <= :schools;

INSERT INTO calendar (calendar_id, school_id, name, end_year, start_date, end_date)
SELECT i, i, 'School ' || i || ' current year', :year, :year_start, :year_end FROM seed_n WHERE i <= :schools;
INSERT INTO calendar (calendar_id, school_id, name, end_year, start_date, end_date)
SELECT :schools + i, i, 'School ' || i || ' last year', :year - 1, :prev_start, :prev_end FROM seed_n WHERE i <= :schools;

-- People
INSERT INTO person (person_id, first_name, last_name, student_number, staff_number)
SELECT i, 'Student' || i, 'Family' || family, 'S' || i, NULL FROM seed_n WHERE i <= :n;
INSERT INTO person (person_id, first_name, last_name, student_number, staff_number)
SELECT :n + 2 * i - 1, 'GuardianA' || i, 'Family' || i, NULL, NULL FROM seed_n WHERE i <= :families;
INSERT INTO person (person_id, first_name, last_name, student_number, staff_number)
SELECT :n + 2 * i, 'GuardianB' || i, 'Family' || i, NULL, NULL
FROM seed_n WHERE i <= :families AND (i * 613 + :seed * 7919) % 1000 < 920;
INSERT INTO person (person_id, first_name, last_name, student_number, staff_number)
SELECT :n + 2 * :families + i, 'Staff' || i, 'Staffer', NULL, 'T' || i FROM seed_n WHERE i <= :staff;

-- Accounts: 1 may run the tool; 2 has a read-only right; 3 is disabled;
-- 4 is a portal account holding the right; 5 is another staff user who may
-- run it. Guardians with a portal account are users 10 + person_id.
INSERT INTO user_account (user_id, person_id, username, is_portal, disabled)
SELECT i, :n + 2 * :families + i,
       CASE i WHEN 1 THEN 'admin' WHEN 2 THEN 'viewer' WHEN 3 THEN 'former' WHEN 4 THEN 'portaluser' ELSE 'secretary' END,
       CASE WHEN i = 4 THEN 1 ELSE 0 END, CASE WHEN i = 3 THEN 1 ELSE 0 END
FROM seed_n WHERE i <= 5 AND i <= :staff;
INSERT INTO user_tool_right (user_id, tool, can_write)
SELECT u.user_id, 'contact_preferences_batch', CASE WHEN u.user_id = 2 THEN 0 ELSE 1 END FROM user_account u;
INSERT INTO user_account (user_id, person_id, username, is_portal, disabled)
SELECT 10 + p.person_id, p.person_id, 'portal' || p.person_id, 1, 0
FROM person p
WHERE p.person_id > :n AND p.person_id <= :n + 2 * :families AND (p.person_id * 211 + :seed * 7919) % 1000 < 600;

-- Contact details. Masks: a quarter never set (NULL), a quarter 0, a quarter
-- mixed, a quarter all on; text masks are 3 so that a test sees them kept.
INSERT INTO contact (person_id, cell_phone, work_phone, other_phone, email, secondary_email,
                     cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger,
                     cell_phone_text_messenger, work_phone_text_messenger, other_phone_text_messenger, modified_by_id, modified_date)
SELECT p.person_id,
       CASE WHEN p.person_id <= :n THEN CASE WHEN (p.person_id * 761 + :seed * 7919) % 1000 < 300 THEN '555-01' || p.person_id END
            WHEN p.person_id > :n + 2 * :families THEN CASE WHEN (p.person_id * 761 + :seed * 7919) % 1000 < 800 THEN '555-02' || p.person_id END
            WHEN (p.person_id * 761 + :seed * 7919) % 1000 < 20 THEN '  '
            WHEN (p.person_id * 761 + :seed * 7919) % 1000 < 900 THEN '555-03' || p.person_id END,
       CASE WHEN p.person_id > :n + 2 * :families THEN '555-04' || p.person_id
            WHEN p.person_id > :n AND (p.person_id * 373 + :seed * 7919) % 1000 < 300 THEN '555-05' || p.person_id END,
       CASE WHEN p.person_id > :n AND (p.person_id * 917 + :seed * 7919) % 1000 < 100 THEN '555-06' || p.person_id END,
       CASE WHEN p.person_id <= :n THEN CASE WHEN (p.person_id * 529 + :seed * 7919) % 1000 < 600 THEN 's' || p.person_id || '@students.example.org' END
            WHEN p.person_id > :n + 2 * :families THEN 'staff' || p.person_id || '@district.example.org'
            WHEN (p.person_id * 529 + :seed * 7919) % 1000 < 30 THEN ''
            WHEN (p.person_id * 529 + :seed * 7919) % 1000 < 850 THEN 'g' || p.person_id || '@mail.example.org' END,
       CASE WHEN p.person_id > :n AND (p.person_id * 143 + :seed * 7919) % 1000 < 150 THEN 'g' || p.person_id || '@work.example.org' END,
       CASE (p.person_id + :seed) % 4 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN (p.person_id * 37) % (:all_reasons + 1) ELSE :all_reasons END,
       CASE (p.person_id + :seed + 1) % 4 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN (p.person_id * 41) % (:all_reasons + 1) ELSE :all_reasons END,
       CASE (p.person_id + :seed + 2) % 4 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN (p.person_id * 43) % (:all_reasons + 1) ELSE :all_reasons END,
       CASE (p.person_id + :seed + 3) % 4 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN (p.person_id * 47) % (:all_reasons + 1) ELSE :all_reasons END,
       CASE (p.person_id + :seed) % 3 WHEN 0 THEN NULL WHEN 1 THEN 0 ELSE :all_reasons END,
       3, 3, 3,
       CASE WHEN p.person_id > :n AND p.person_id <= :n + 2 * :families AND (p.person_id * 211 + :seed * 7919) % 1000 < 200 THEN 10 + p.person_id
            WHEN (p.person_id * 211 + :seed * 7919) % 1000 < 400 THEN 1 END,
       CASE WHEN (p.person_id * 211 + :seed * 7919) % 1000 < 400 THEN :last_edit END
FROM person p;

-- Households: one per family, 90% with a phone (3% blank); 5% of families with
-- two guardians live apart, guardian B in a second household where the
-- children are secondary members.
INSERT INTO household (household_id, name, phone, phone_messenger, phone_text_messenger, modified_by_id, modified_date)
SELECT i, 'Family' || i || ' household',
       CASE WHEN (i * 917 + :seed * 7919) % 1000 < 30 THEN ' ' WHEN (i * 917 + :seed * 7919) % 1000 < 900 THEN '555-07' || i END,
       CASE (i + :seed) % 4 WHEN 0 THEN NULL WHEN 1 THEN 0 WHEN 2 THEN (i * 53) % (:all_reasons + 1) ELSE :all_reasons END, 3, NULL, NULL
FROM seed_n WHERE i <= :families;
INSERT INTO household (household_id, name, phone, phone_messenger, phone_text_messenger, modified_by_id, modified_date)
SELECT :families + i, 'Family' || i || ' second household', '555-08' || i, NULL, 3, NULL, NULL
FROM seed_n WHERE i <= :families AND (i * 613 + :seed * 7919) % 1000 < 920 AND (i * 529 + :seed * 7919) % 1000 < 50;

INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary)
SELECT family, i, :long_ago, NULL, 0 FROM seed_n WHERE i <= :n;
INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary)
SELECT :families + family, i, :long_ago, NULL, 1 FROM seed_n
WHERE i <= :n AND family IN (SELECT household_id - :families FROM household WHERE household_id > :families);
INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary)
SELECT i, :n + 2 * i - 1, :long_ago, CASE WHEN (i * 143 + :seed * 7919) % 1000 < 20 THEN :past_end END, 0
FROM seed_n WHERE i <= :families;
INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary)
SELECT CASE WHEN (i * 529 + :seed * 7919) % 1000 < 50 THEN :families + i ELSE i END, :n + 2 * i, :long_ago, NULL, 0
FROM seed_n WHERE i <= :families AND (i * 613 + :seed * 7919) % 1000 < 920;

-- Relationships: guardian A is a Messenger contact (3% ended), guardian B in
-- 85% of cases, and 2% of students are their own Messenger contact.
INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger, start_date, end_date)
SELECT 3 * i - 2, i, :n + 2 * family - 1, 'Parent', 1, 1, :long_ago,
       CASE WHEN (i * 687 + :seed * 7919) % 1000 < 30 THEN :past_end END
FROM seed_n WHERE i <= :n;
INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger, start_date, end_date)
SELECT 3 * i - 1, i, :n + 2 * family, 'Parent', 1,
       CASE WHEN (i * 211 + :seed * 7919) % 1000 < 850 THEN 1 ELSE 0 END, NULL, NULL
FROM seed_n WHERE i <= :n AND (family * 613 + :seed * 7919) % 1000 < 920;
INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger, start_date, end_date)
SELECT 3 * i, i, i, 'Self', 0, 1, NULL, NULL FROM seed_n WHERE i <= :n AND (i * 979 + :seed * 7919) % 1000 < 20;

-- Enrollments: this year's (2% ended early, 1% no-show, 1% starting later) and last year's.
INSERT INTO enrollment (enrollment_id, person_id, calendar_id, service_type, start_date, end_date, no_show)
SELECT i, i, (i - 1) % :schools + 1, 'P',
       CASE WHEN (i * 143 + :seed * 7919) % 1000 < 10 THEN :future_start ELSE :year_start END,
       CASE WHEN (i * 687 + :seed * 7919) % 1000 >= 980 THEN :ended_date END,
       CASE WHEN (i * 979 + :seed * 7919) % 1000 BETWEEN 20 AND 29 THEN 1 ELSE 0 END
FROM seed_n WHERE i <= :n;
INSERT INTO enrollment (enrollment_id, person_id, calendar_id, service_type, start_date, end_date, no_show)
SELECT :n + i, i, :schools + (i - 1) % :schools + 1, 'P', :prev_start, :prev_end, 0 FROM seed_n WHERE i <= :n;

-- Staff assignments (10% ended), and guardians of every 50th family who coach.
INSERT INTO district_assignment (assignment_id, person_id, school_id, title, start_date, end_date)
SELECT i, :n + 2 * :families + i, (i - 1) % :schools + 1, 'Teacher', :long_ago,
       CASE WHEN i > 5 AND (i * 373 + :seed * 7919) % 1000 < 100 THEN :past_end END
FROM seed_n WHERE i <= :staff;
INSERT INTO district_assignment (assignment_id, person_id, school_id, title, start_date, end_date)
SELECT :staff + i, :n + 2 * i - 1, NULL, 'Volunteer coach', :long_ago, NULL FROM seed_n WHERE i <= :families AND i % 50 = 0;

-- Ad hoc filters: 1, every tenth student (user 1's, private); 2, staff and
-- coaching guardians (census, shared); 3, a student filter private to user 5.
INSERT INTO adhoc_filter (filter_id, name, filter_type, owner_user_id, shared) VALUES (1, 'Every tenth student', 'student', 1, 0);
INSERT INTO adhoc_filter (filter_id, name, filter_type, owner_user_id, shared) VALUES (2, 'Staff and coaches', 'census', 1, 1);
INSERT INTO adhoc_filter (filter_id, name, filter_type, owner_user_id, shared) VALUES (3, 'Secretary''s students', 'student', 5, 0);
INSERT INTO adhoc_filter_member (filter_id, person_id) SELECT 1, i FROM seed_n WHERE i <= :n AND i % 10 = 0;
INSERT INTO adhoc_filter_member (filter_id, person_id) SELECT 2, person_id FROM district_assignment;
INSERT INTO adhoc_filter_member (filter_id, person_id) SELECT 3, i FROM seed_n WHERE i <= :n AND i % 7 = 0;
