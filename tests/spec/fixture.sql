-- A hand-made district for the specification tests: one row for every case of
-- CONTRACT.md sections 4 and 5. The tests derive their expected numbers from
-- the comments below. Year 2027 (2026-27); the tests' date D is 2026-10-01.
-- Masks are written "cell work other email secondary" ("-" for NULL).
-- Every modified_date here is earlier than 2026-06-01 (spec_support.cpp relies on it).

INSERT INTO school (school_id, name) VALUES
    (1, 'Lincoln Elementary'),
    (2, 'Washington Middle'),
    (3, 'Jefferson High');                 -- no calendar in 2027

INSERT INTO calendar (calendar_id, school_id, name, end_year, start_date, end_date) VALUES
    (10, 1, 'Lincoln 26-27', 2027, '2026-08-20', '2027-06-10'),
    (11, 1, 'Lincoln 26-27 extended day', 2027, '2026-08-20', '2027-06-10'),
    (19, 1, 'Lincoln 25-26', 2026, '2025-08-20', '2026-06-10'),
    (20, 2, 'Washington 26-27', 2027, '2026-08-20', '2027-06-10'),
    (30, 3, 'Jefferson 27-28', 2028, '2027-08-20', '2028-06-10');

-- 1xx students, 2xx their relatives, 3xx staff.
INSERT INTO person (person_id, first_name, last_name, student_number, staff_number) VALUES
    (101, 'Ada', 'Adams', 'S101', NULL),
    (102, 'Ben', 'Brown', 'S102', NULL),
    (103, 'Cy', 'Cole', 'S103', NULL),
    (104, 'Dee', 'Adams', 'S104', NULL),
    (105, 'Eli', 'Evans', 'S105', NULL),
    (106, 'Fay', 'Baker', 'S106', NULL),
    (107, 'Gus', 'Clark', 'S107', NULL),
    (108, 'Hal', 'Davis', 'S108', NULL),
    (109, 'Ivy', 'Irwin', 'S109', NULL),
    (201, 'Ann', 'Adams', NULL, NULL),
    (202, 'Abe', 'Adams', NULL, NULL),
    (203, 'Bea', 'Brown', NULL, NULL),
    (204, 'Bo', 'Brown', NULL, NULL),
    (206, 'Flo', 'Baker', NULL, NULL),
    (207, 'Gil', 'Clark', NULL, NULL),
    (208, 'Dan', 'Brown', NULL, NULL),
    (209, 'Cal', 'Cole', NULL, NULL),
    (210, 'Eve', 'Evans', NULL, NULL),
    (211, 'Dot', 'Davis', NULL, NULL),
    (212, 'Ike', 'Irwin', NULL, NULL),
    (213, 'Fred', 'Baker', NULL, NULL),
    (301, 'Tess', 'Teacher', NULL, 'T301'),
    (302, 'Abby', 'Aide', NULL, 'T302'),
    (303, 'Carl', 'Counselor', NULL, 'T303');

-- 1 may run the tool; 2 read-only right; 3 disabled; 4 portal account (Ann
-- Adams) holding the right; 5 another staff user who may; 6 a right on
-- another tool only.
INSERT INTO user_account (user_id, person_id, username, is_portal, disabled) VALUES
    (1, NULL, 'admin', 0, 0),
    (2, NULL, 'viewer', 0, 0),
    (3, NULL, 'former', 0, 1),
    (4, 201, 'portal201', 1, 0),
    (5, NULL, 'secretary', 0, 0),
    (6, NULL, 'teacher', 0, 0);
INSERT INTO user_tool_right (user_id, tool, can_write) VALUES
    (1, 'contact_preferences_batch', 1),
    (2, 'contact_preferences_batch', 0),
    (3, 'contact_preferences_batch', 1),
    (4, 'contact_preferences_batch', 1),
    (5, 'contact_preferences_batch', 1),
    (6, 'gradebook', 1);

-- Enrolled on D in 2027: 101, 104, 106, 107, 108.
INSERT INTO enrollment (enrollment_id, person_id, calendar_id, service_type, start_date, end_date, no_show) VALUES
    (1, 101, 10, 'P', '2026-08-20', NULL, 0),
    (2, 101, 11, 'S', '2026-08-20', NULL, 0),          -- a second calendar of school 1: counted once
    (3, 102, 10, 'P', '2026-08-20', '2026-09-15', 0),  -- ended before D
    (4, 103, 10, 'P', '2026-08-20', NULL, 1),          -- no-show
    (5, 104, 10, 'P', '2026-11-02', NULL, 0),          -- starts after D: counts
    (6, 105, 19, 'P', '2025-08-20', NULL, 0),          -- 2026 only
    (7, 106, 20, 'P', '2026-08-20', NULL, 0),          -- school 2
    (8, 107, 11, 'P', '2026-08-20', NULL, 0),          -- school 1, calendar 11 only
    (9, 108, 10, 'P', '2026-08-20', '2026-10-01', 0),  -- ends on D: counts
    (10, 109, 30, 'P', '2027-08-20', NULL, 0);         -- 2028 only

-- Messenger contacts on D in 2027: 101 (own contact), 201 (of 101 and 104),
-- 206 and 213 (of 106), 207 (of 107), 211 (of 108).
INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger, start_date, end_date) VALUES
    (1, 101, 201, 'Mother', 1, 1, NULL, NULL),
    (2, 101, 202, 'Father', 1, 0, NULL, NULL),                  -- not a Messenger contact
    (3, 101, 203, 'Aunt', 0, 1, '2020-01-01', '2026-09-30'),    -- ended the day before D
    (4, 101, 204, 'Uncle', 0, 1, '2026-10-02', NULL),           -- starts the day after D
    (5, 101, 101, 'Self', 0, 1, NULL, NULL),                    -- the student is their own contact
    (6, 104, 201, 'Mother', 1, 1, '2026-10-01', NULL),          -- starts on D; 201 shared by 101 and 104
    (7, 106, 206, 'Mother', 1, 1, NULL, NULL),
    (8, 107, 207, 'Father', 1, 1, NULL, NULL),
    (9, 108, 211, 'Mother', 1, 1, '2015-01-01', '2026-10-01'),  -- ends on D
    (10, 102, 208, 'Father', 1, 1, NULL, NULL),                 -- student's enrollment ended
    (11, 103, 209, 'Father', 1, 1, NULL, NULL),                 -- student is a no-show
    (12, 105, 210, 'Mother', 1, 1, NULL, NULL),                 -- student enrolled in 2026 only
    (13, 109, 212, 'Father', 1, 1, NULL, NULL),                 -- student enrolled in 2028 only
    (14, 106, 213, 'Father', 1, 1, NULL, NULL);                 -- 213 has no contact row

INSERT INTO district_assignment (assignment_id, person_id, school_id, title, start_date, end_date) VALUES
    (1, 301, 1, 'Teacher', '2019-08-01', NULL),             -- active on D
    (2, 302, 1, 'Aide', '2018-08-01', '2026-06-30'),        -- ended
    (3, 303, 2, 'Counselor', '2026-10-02', NULL);           -- starts after D

-- 1 student, owner 1, private; 2 census, owner 5, shared; 3 student, owner 5,
-- private; 4 student, owner 5, shared; 5 census, owner 1, private.
INSERT INTO adhoc_filter (filter_id, name, filter_type, owner_user_id, shared) VALUES
    (1, 'My students', 'student', 1, 0),
    (2, 'Staff and census', 'census', 5, 1),
    (3, 'Secretary private students', 'student', 5, 0),
    (4, 'Secretary shared students', 'student', 5, 1),
    (5, 'My census', 'census', 1, 0);
INSERT INTO adhoc_filter_member (filter_id, person_id) VALUES
    (1, 101), (1, 104), (1, 106),
    (2, 301), (2, 302), (2, 303), (2, 105),
    (3, 101),
    (4, 107), (4, 108), (4, 102),
    (5, 301), (5, 201);

-- On record (not NULL, not blank) per target:
--   101 cell, email; 104 email; 106 cell; 107 none (blanks); 108 other;
--   201 cell, work, email (secondary ''); 206 cell (email '   ');
--   207 cell, other; 211 email, secondary; 213 no row;
--   301 cell, work, email; 302 cell; 303 cell; 105 cell.
-- Text masks are 7 (9 for 201) and must never change.
INSERT INTO contact (person_id, cell_phone, work_phone, other_phone, email, secondary_email,
                     cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger,
                     cell_phone_text_messenger, work_phone_text_messenger, other_phone_text_messenger, modified_by_id, modified_date) VALUES
    (101, '555-0101', NULL, NULL, 's101@lincoln.example.org', NULL, NULL, NULL, NULL, 0, NULL, 7, 7, 7, NULL, NULL),
    (102, '555-0102', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (103, '555-0103', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (104, NULL, NULL, NULL, 's104@lincoln.example.org', NULL, NULL, NULL, NULL, 255, NULL, 7, 7, 7, 1, '2025-06-01 08:00:00'),
    (105, '555-0105', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (106, '555-0106', NULL, NULL, NULL, NULL, 2, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (107, '   ', NULL, NULL, '', NULL, 0, NULL, NULL, 1, NULL, 7, 7, 7, NULL, NULL),
    (108, NULL, NULL, '555-0108', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (109, '555-0109', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (201, '555-0201', '555-0291', NULL, 'g201@mail.example.org', '', 1, 255, NULL, NULL, 0, 9, 9, 9, 4, '2026-05-05 10:00:00'),
    (202, '555-0202', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (203, '555-0203', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (204, '555-0204', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (206, '555-0206', NULL, NULL, '   ', NULL, NULL, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (207, '555-0207', NULL, '555-0277', NULL, NULL, 8, NULL, 0, NULL, NULL, 7, 7, 7, 5, '2026-02-02 09:00:00'),
    (208, '555-0208', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (209, '555-0209', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (210, '555-0210', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (211, NULL, NULL, NULL, 'g211@mail.example.org', 'g211@work.example.org', NULL, NULL, NULL, 3, NULL, 7, 7, 7, NULL, NULL),
    (212, '555-0212', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (301, '555-0301', '555-0391', NULL, 'staff301@district.example.org', NULL, 0, NULL, NULL, 64, NULL, 7, 7, 7, 1, '2025-06-01 08:00:00'),
    (302, '555-0302', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL),
    (303, '555-0303', NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 7, 7, 7, NULL, NULL);

-- Phones on record: 401, 404, 405, 406, 407 (402 NULL, 403 '   ', 408 '').
INSERT INTO household (household_id, name, phone, phone_messenger, phone_text_messenger, modified_by_id, modified_date) VALUES
    (401, 'Adams', '555-0401', 1, 7, NULL, NULL),
    (402, 'Baker', NULL, NULL, 7, NULL, NULL),
    (403, 'Clark', '   ', 0, 7, NULL, NULL),
    (404, 'Adams (Ann)', '555-0404', NULL, 7, 4, '2026-05-05 10:00:00'),
    (405, 'Davis', '555-0405', 0, 7, NULL, NULL),
    (406, 'Evans', '555-0406', 0, 7, NULL, NULL),
    (407, 'Baker (new)', '555-0407', 0, 7, NULL, NULL),
    (408, 'Counselor', '', 0, 7, NULL, NULL);

-- Active on D: 401 {101, 104, 201, 202}, 402 {106, 206}, 403 {107, 207},
-- 404 {201 secondary, 211}, 405 {208}, 406 {301, 302}, 408 {303}.
INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary) VALUES
    (401, 101, '2020-01-01', NULL, 0),
    (401, 104, '2020-01-01', NULL, 0),
    (401, 201, NULL, NULL, 0),
    (401, 202, NULL, NULL, 0),                       -- never a target: the change reaches him anyway
    (402, 106, NULL, NULL, 0),
    (402, 206, NULL, NULL, 0),
    (403, 107, NULL, NULL, 0),
    (403, 207, NULL, NULL, 0),
    (404, 201, '2024-01-01', NULL, 1),               -- 201 lives in two households
    (404, 211, NULL, NULL, 0),
    (405, 108, '2015-01-01', '2026-09-01', 0),       -- ended before D
    (405, 208, NULL, NULL, 0),
    (406, 301, NULL, NULL, 0),
    (406, 302, NULL, NULL, 0),
    (407, 106, '2026-12-01', NULL, 0),               -- starts after D
    (408, 303, NULL, NULL, 0);
