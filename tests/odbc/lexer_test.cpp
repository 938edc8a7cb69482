// The one SQL lexer of the ODBC layer (lex_sql) and what is built on it: the
// ":name" parameters of Query::parse and the statements of split_script.
#include <gtest/gtest.h>

#include "odbc.hpp"

namespace {

using cpb::odbc::lex_sql;
using cpb::odbc::Query;
using cpb::odbc::split_script;
using cpb::odbc::SqlPiece;
using Kind = SqlPiece::Kind;

std::string kinds(std::string_view sql) {
  std::string out;
  for (const SqlPiece& p : lex_sql(sql)) {
    out += p.kind == Kind::code ? "code" : p.kind == Kind::quoted ? "quoted" : "comment";
    out += "[" + std::string(p.text) + "]";
  }
  return out;
}

TEST(Lexer, PiecesAreCodeQuotesAndCommentsAndTogetherTheWholeText) {
  const std::string sql = "SELECT 'a' AS \"b\" -- c\nFROM t /* d */ WHERE x = $$e$$";
  std::string joined;
  for (const SqlPiece& p : lex_sql(sql)) joined += p.text;
  EXPECT_EQ(joined, sql);
  EXPECT_EQ(kinds(sql), "code[SELECT ]quoted['a']code[ AS ]quoted[\"b\"]code[ ]comment[-- c]code[\nFROM t ]comment[/* d */]"
                        "code[ WHERE x = ]quoted[$$e$$]");
}

TEST(Lexer, ADoubledQuoteStaysInsideItsLiteral) {
  EXPECT_EQ(kinds("'it''s'; x"), "quoted['it''s']code[; x]");
  EXPECT_EQ(kinds("\"a\"\"b\" y"), "quoted[\"a\"\"b\"]code[ y]");
  EXPECT_EQ(kinds("''''"), "quoted['''']");
  EXPECT_EQ(kinds("'' x"), "quoted['']code[ x]");
}

TEST(Lexer, QuotesInsideCommentsAndCommentMarksInsideQuotesAreText) {
  EXPECT_EQ(kinds("-- the host's table\nx"), "comment[-- the host's table]code[\nx]");
  EXPECT_EQ(kinds("'--not a comment' y"), "quoted['--not a comment']code[ y]");
  EXPECT_EQ(kinds("'/*' z '*/'"), "quoted['/*']code[ z ]quoted['*/']");
  EXPECT_EQ(kinds("/* it's */ w"), "comment[/* it's */]code[ w]");
}

TEST(Lexer, PostgreSqlDollarQuotesWithAndWithoutATag) {
  EXPECT_EQ(kinds("AS $$ BEGIN x := 'a; b'; END $$;"), "code[AS ]quoted[$$ BEGIN x := 'a; b'; END $$]code[;]");
  EXPECT_EQ(kinds("$body$ a $$ b $body$ c"), "quoted[$body$ a $$ b $body$]code[ c]");
  // No dollar quote: a positional parameter, a dollar inside a word, a lone dollar.
  EXPECT_EQ(kinds("$1 + a$b$ + $"), "code[$1 + a$b$ + $]");
}

TEST(Lexer, AnUnterminatedQuoteOrCommentRunsToTheEnd) {
  EXPECT_EQ(kinds("x 'abc"), "code[x ]quoted['abc]");
  EXPECT_EQ(kinds("x /* abc"), "code[x ]comment[/* abc]");
  EXPECT_EQ(kinds("x -- abc"), "code[x ]comment[-- abc]");
  EXPECT_EQ(kinds("x $$ abc"), "code[x ]quoted[$$ abc]");
}

TEST(Lexer, BackslashesAreOrdinaryCharacters) {
  EXPECT_EQ(kinds("'a\\' b"), "quoted['a\\']code[ b]");
}

TEST(QueryParse, NamedParametersBecomeQuestionMarksInOrder) {
  const Query q = Query::parse("SELECT :a, :b_2 FROM t WHERE x = :a AND y = :_c");
  EXPECT_EQ(q.sql, "SELECT ?, ? FROM t WHERE x = ? AND y = ?");
  EXPECT_EQ(q.parameters, (std::vector<std::string>{"a", "b_2", "a", "_c"}));
}

TEST(QueryParse, ColonsInQuotesCommentsCastsAndAssignmentsAreNoParameters) {
  const Query q = Query::parse("SELECT ':x', \":y\", v::text, n := 1, $$ :z $$ -- :w\nFROM t /* :v */ WHERE k = :k");
  EXPECT_EQ(q.sql, "SELECT ':x', \":y\", v::text, n := 1, $$ :z $$ \nFROM t   WHERE k = ?");
  EXPECT_EQ(q.parameters, (std::vector<std::string>{"k"}));
}

TEST(QueryParse, ADoubledQuoteDoesNotEndTheLiteralBeforeAParameter) {
  const Query q = Query::parse("SELECT 'it'':s', :p");
  EXPECT_EQ(q.sql, "SELECT 'it'':s', ?");
  EXPECT_EQ(q.parameters, (std::vector<std::string>{"p"}));
}

TEST(SplitScript, SplitsAtSemicolonsOutsideQuotesAndCommentsAndDropsEmptyStatements) {
  EXPECT_EQ(split_script("A; B;\n ;C"), (std::vector<std::string>{"A", " B", "C"}));
  EXPECT_EQ(split_script("INSERT INTO t VALUES ('a;b', 'it'';s');X"),
            (std::vector<std::string>{"INSERT INTO t VALUES ('a;b', 'it'';s')", "X"}));
  EXPECT_EQ(split_script("-- one; two\nA; /* three; */ B"), (std::vector<std::string>{"\nA", "   B"}));
  EXPECT_EQ(split_script("CREATE FUNCTION f() AS $$ BEGIN x; y; END $$; Z"),
            (std::vector<std::string>{"CREATE FUNCTION f() AS $$ BEGIN x; y; END $$", " Z"}));
  EXPECT_TRUE(split_script("-- only a comment; really\n  ").empty());
}

}  // namespace
