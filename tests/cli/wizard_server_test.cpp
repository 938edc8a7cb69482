// sis-host-sim serve, run as a separate program on a seeded SQLite file and
// spoken to over loopback sockets: the limits it keeps against clients that
// send too much or too slowly, its page token, its answers to bad fields, and
// running fixed to one user. Every test is bounded in time and connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "test_support.hpp"

namespace cpbtest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const json kDryRun = {{"mode", "students"}, {"preferences", {{"general", "on"}}}, {"dry_run", true}};
const json kToolbar = {{"year", 2027}, {"user", 1}};

// One `sis-host-sim serve` on a fresh seeded database, stopped by the destructor.
class Server {
 public:
  explicit Server(const std::vector<std::string>& extra = {}) {
    dir_ = fs::temp_directory_path() / ("cpbserve_" + std::to_string(getpid()) + "_" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "sis.db").string();
    EXPECT_EQ(std::system((std::string(SIS_HOST_SIM) + " init --db " + db_ + " && " + SIS_HOST_SIM + " seed --db " + db_ +
                           " --students 60 >/dev/null")
                              .c_str()),
              0);
    std::vector<std::string> args = {SIS_HOST_SIM, "serve", "--db", db_, "--listen", "127.0.0.1:0", "--date", "2026-10-01"};
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    // "wizard: http://127.0.0.1:PORT/ ...", within 20 s.
    std::string line;
    const auto until = Clock::now() + std::chrono::seconds(20);
    std::smatch m;
    while (Clock::now() < until && !std::regex_search(line, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/)"))) {
      pollfd fd{out[0], POLLIN, 0};
      if (poll(&fd, 1, 200) <= 0) continue;
      char c[256];
      const ssize_t n = read(out[0], c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<size_t>(n));
    }
    close(out[0]);
    if (!m.empty()) port_ = std::stoi(m[1]);
    output_ = line;
  }
  ~Server() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }

  int port() const { return port_; }
  const std::string& output() const { return output_; }
  const std::string& db() const { return db_; }
  httplib::Client client(int timeout_seconds = 10) const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(timeout_seconds);
    c.set_read_timeout(timeout_seconds);
    c.set_write_timeout(timeout_seconds);
    return c;
  }
  // The page's token, read from the page as the page reads it.
  std::string token() const {
    const auto r = client().Get("/");
    std::smatch m;
    if (!r || !std::regex_search(r->body, m, std::regex(R"re(name="cpb-token" content="([0-9a-f]+)")re"))) return {};
    return m[1];
  }

 private:
  fs::path dir_;
  std::string db_;
  std::string output_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Answer {
  int status = 0;  // 0: no answer
  json body;
};

Answer answer(const httplib::Result& r) {
  if (!r) return {};
  return {r->status, json::parse(r->body, nullptr, false)};
}

Answer post(const Server& s, const std::string& path, const std::string& token, const json& body) {
  httplib::Headers headers = {{"X-CPB-Token", token}};
  return answer(s.client().Post(path.c_str(), headers, body.dump(), "application/json"));
}

Answer get(const Server& s, const std::string& path) { return answer(s.client().Get(path.c_str())); }

// Starts a dry run and waits for it: its job number (jobs are numbered 1, 2, ...
// from the server's start, so it tells how many runs were started before).
int64_t next_job(const Server& s, const std::string& token);

// Waits for a job of the API to finish (bounded: 30 s).
json finished_job(const Server& s, int64_t job) {
  const auto until = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < until) {
    const Answer a = get(s, "/api/jobs/" + std::to_string(job));
    if (a.body.value("finished", false)) return a.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {};
}

int64_t next_job(const Server& s, const std::string& token) {
  const Answer a = post(s, "/api/jobs", token, {{"toolbar", kToolbar}, {"options", kDryRun}});
  if (a.status != 202) return -1;
  const int64_t job = a.body["job"].get<int64_t>();
  return finished_job(s, job).contains("result") ? job : -1;
}

int connect_to(int port) {
  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(sock, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(sock);
    return -1;
  }
  return sock;
}

bool send_all(int sock, const std::string& data) {
  for (size_t sent = 0; sent < data.size();) {
    const ssize_t n = send(sock, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// What the server sent until it closed (or `seconds` passed).
std::string read_all(int sock, int seconds) {
  std::string in;
  const auto until = Clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    pollfd fd{sock, POLLIN, 0};
    if (left <= 0 || poll(&fd, 1, static_cast<int>(left)) <= 0) break;
    char buffer[4096];
    const ssize_t n = recv(sock, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    in.append(buffer, static_cast<size_t>(n));
  }
  return in;
}

// A start of a run whose JSON body is padded to `size` bytes, sent with
// Transfer-Encoding: chunked in chunks of 64 KiB; the server's answer.
std::string post_chunked_job(const Server& s, const std::string& token, size_t size, const std::string& path = "/api/jobs") {
  const std::string body = json{{"toolbar", kToolbar}, {"options", kDryRun}, {"pad", std::string(size, 'x')}}.dump();
  const int sock = connect_to(s.port());
  if (sock < 0) return {};
  bool sending = send_all(sock, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(s.port()) +
                                    "\r\nContent-Type: application/json\r\nX-CPB-Token: " + token +
                                    "\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (size_t at = 0; sending && at < body.size(); at += 65536) {
    const std::string chunk = body.substr(at, 65536);
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
    sending = send_all(sock, size_line + chunk + "\r\n");
  }
  if (sending) send_all(sock, "0\r\n\r\n");
  shutdown(sock, SHUT_WR);
  const std::string reply = read_all(sock, 15);
  close(sock);
  return reply;
}

int status_of(const std::string& reply) {
  std::smatch m;
  return std::regex_search(reply, m, std::regex(R"(^HTTP/1\.1 (\d{3}))")) ? std::stoi(m[1]) : 0;
}

TEST(WizardServer, AChunkedBodyOverTheLimitIsRefusedWhileItIsReadAndStartsNoRun) {
  Server s;
  ASSERT_GT(s.port(), 0) << s.output();
  const std::string token = s.token();
  ASSERT_FALSE(token.empty());
  // 8 MiB, chunked: refused as soon as 256 KiB have arrived.
  const std::string refused = post_chunked_job(s, token, 8u << 20);
  EXPECT_EQ(status_of(refused), 413) << refused.substr(0, 300);
  EXPECT_NE(refused.find("too large"), std::string::npos) << refused.substr(0, 300);
  // The same on every path, even one that is not there.
  for (const char* path : {"/api/plan_rows", "/api/jobs/1/cancel", "/api/no-such-thing"}) {
    const std::string reply = post_chunked_job(s, token, 8u << 20, path);
    EXPECT_EQ(status_of(reply), 413) << path << "\n" << reply.substr(0, 300);
  }
  EXPECT_EQ(status_of(post_chunked_job(s, token, 1000, "/api/no-such-thing")), 404);
  // The same with a Content-Length.
  const std::string big(300 * 1024, 'x');
  const auto with_length = s.client().Post("/api/jobs", {{"X-CPB-Token", token}}, "{\"pad\": \"" + big + "\"}", "application/json");
  ASSERT_TRUE(with_length);
  EXPECT_EQ(with_length->status, 413);
  // A small chunked body is read as any other: the run starts and finishes.
  const std::string accepted = post_chunked_job(s, token, 1000);
  ASSERT_EQ(status_of(accepted), 202) << accepted;
  const json job = json::parse(accepted.substr(accepted.find("\r\n\r\n") + 4), nullptr, false);
  ASSERT_TRUE(job.contains("job")) << accepted;
  EXPECT_TRUE(finished_job(s, job["job"].get<int64_t>()).contains("result"));
  // The refused requests started no run: this one is the first.
  EXPECT_EQ(job["job"], 1);
  EXPECT_EQ(next_job(s, token), 2);
}

// Clients that send a request one byte a second, in a thread of the test's own; stopped by the destructor.
class SlowClients {
 public:
  SlowClients(int port, int count) {
    for (int i = 0; i < count; ++i)
      if (const int sock = connect_to(port); sock >= 0) socks_.push_back(sock);
    dripping_ = std::thread([this] {
      for (int second = 0; !stop_ && second < 60; ++second) {
        for (const int sock : socks_) (void)send(sock, second == 0 ? "G" : "E", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~SlowClients() {
    stop_ = true;
    dripping_.join();
    for (const int sock : socks_) close(sock);
  }
  size_t size() const { return socks_.size(); }
  // How many the server has answered or closed, within `seconds`.
  size_t ended(int seconds) const {
    size_t n = 0;
    const auto until = Clock::now() + std::chrono::seconds(seconds);
    for (const int sock : socks_) {
      const auto left = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count());
      pollfd fd{sock, POLLIN, 0};
      if (poll(&fd, 1, static_cast<int>(left)) > 0) ++n;
    }
    return n;
  }

 private:
  std::vector<int> socks_;
  std::atomic<bool> stop_{false};
  std::thread dripping_;
};

double seconds_to_describe(const Server& s) {
  const auto start = Clock::now();
  const auto r = s.client(20).Get("/api/describe");
  if (!r || r->status != 200) return 1e9;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(WizardServer, SlowClientsDoNotStopThePageBeingAnswered) {
  Server s;
  ASSERT_GT(s.port(), 0) << s.output();
  {
    // Ten, as many as the old fixed pool had threads and more: the page is answered at once.
    SlowClients slow(s.port(), 10);
    ASSERT_EQ(slow.size(), 10u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_LT(seconds_to_describe(s), 3.0);
    EXPECT_TRUE(s.client().Get("/"));
    // Each slow request is cut off at its deadline (5 s from its first byte).
    EXPECT_EQ(slow.ended(8), 10u);
  }
  {
    // More than the server has threads for connections (64): the page waits at
    // most about one request deadline for a thread.
    SlowClients slow(s.port(), 80);
    ASSERT_EQ(slow.size(), 80u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_LT(seconds_to_describe(s), 9.0);
  }
  EXPECT_LT(seconds_to_describe(s), 3.0);
}

TEST(WizardServer, LoadingPagesNeverExpiresAPageAlreadyOpen) {
  Server s;
  ASSERT_GT(s.port(), 0) << s.output();
  const std::string open_page = s.token();
  ASSERT_FALSE(open_page.empty());
  // Another site's page can make the browser load this one many times over (it cannot read it).
  httplib::Client c = s.client();
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(c.Get("/"));
  const Answer still = post(s, "/api/jobs", open_page, {{"toolbar", kToolbar}, {"options", kDryRun}});
  EXPECT_EQ(still.status, 202) << still.body.dump();
  // A request without the token, or with another, is still refused.
  for (const std::string& wrong : {std::string(), std::string(32, '0'), open_page.substr(1)}) {
    const Answer refused = post(s, "/api/jobs", wrong, {{"toolbar", kToolbar}, {"options", kDryRun}});
    EXPECT_EQ(refused.status, 403) << wrong;
    EXPECT_EQ(refused.body["error"].value("code", ""), "forbidden");
  }
  if (still.status == 202) {
    EXPECT_TRUE(finished_job(s, still.body["job"].get<int64_t>()).contains("result"));
  }
  EXPECT_EQ(next_job(s, open_page), 2) << "the refused requests started no run";
}

TEST(WizardServer, BadFieldsAreRefusedNamingTheField) {
  Server s;
  ASSERT_GT(s.port(), 0) << s.output();
  const std::string token = s.token();
  // plan_rows' own fields are the plugin's to check: invalid_options at the field.
  struct Case {
    json body;
    std::string path;
  };
  const json toolbar = kToolbar;
  for (const Case& c : {Case{{{"toolbar", toolbar}, {"plan_id", 1}, {"kind", 5}}, "/kind"},
                        Case{{{"toolbar", toolbar}, {"plan_id", 1}, {"limit", -1}}, "/limit"},
                        Case{{{"toolbar", toolbar}, {"plan_id", 1}, {"limit", 1.5}}, "/limit"},
                        Case{{{"toolbar", toolbar}, {"plan_id", "7"}}, "/plan_id"}}) {
    const Answer a = post(s, "/api/plan_rows", token, c.body);
    EXPECT_GE(a.status, 400) << c.body.dump();
    EXPECT_LT(a.status, 500) << c.body.dump() << " " << a.body.dump();
    EXPECT_EQ(a.body["error"].value("code", ""), "invalid_options") << a.body.dump();
    EXPECT_EQ(a.body["error"].value("path", ""), c.path) << a.body.dump();
  }
  // Toolbar fields that do not fit the C ABI's fields are refused, never cut to fit.
  for (const auto& [key, value] : std::vector<std::pair<std::string, json>>{{"year", 4294969323LL},
                                                                           {"year", 2147483648LL},
                                                                           {"year", -2147483649LL},
                                                                           {"year", 2027.5},
                                                                           {"school", json::parse("18446744073709551615")},
                                                                           {"calendar", json::parse("9223372036854775808")},
                                                                           {"user", json::parse("18446744073709551615")},
                                                                           {"user", "1"}}) {
    json t = kToolbar;
    t[key] = value;
    for (const char* path : {"/api/jobs", "/api/plan_rows"}) {
      const Answer a = post(s, path, token, {{"toolbar", t}, {"options", kDryRun}, {"plan_id", 1}});
      EXPECT_EQ(a.status, 400) << path << " " << t.dump();
      EXPECT_EQ(a.body["error"].value("code", ""), "invalid_context") << a.body.dump();
      EXPECT_EQ(a.body["error"].value("path", ""), "/toolbar/" + key) << a.body.dump();
    }
  }
  const Answer filters = get(s, "/api/filters?user=1234567890123456789012");
  EXPECT_EQ(filters.status, 400);
  EXPECT_EQ(filters.body["error"].value("path", ""), "/user");
  EXPECT_EQ(next_job(s, token), 1) << "no refused request started a run";
}

TEST(WizardServer, FixedToOneUserItRunsAsThatUserAndRefusesAnother) {
  Server s({"--user", "1"});
  ASSERT_GT(s.port(), 0) << s.output();
  const std::string token = s.token();
  const Answer host = get(s, "/api/host");
  EXPECT_EQ(host.body["fixed_user"], 1);
  ASSERT_EQ(host.body["users"].size(), 1u) << "the page offers no other user";
  EXPECT_EQ(host.body["users"][0]["id"], 1);
  // Another user is refused; no user at all runs as the fixed one.
  const Answer other = post(s, "/api/jobs", token, {{"toolbar", {{"year", 2027}, {"user", 2}}}, {"options", kDryRun}});
  EXPECT_EQ(other.status, 403) << other.body.dump();
  EXPECT_EQ(other.body["error"].value("path", ""), "/toolbar/user");
  EXPECT_EQ(get(s, "/api/filters?user=2").status, 403);
  EXPECT_EQ(get(s, "/api/filters?user=1").status, 200);
  // With no user named, a batch runs as the fixed user: history says who ran it.
  const json apply = {{"mode", "students"}, {"preferences", {{"general", "on"}}}};
  const Answer fixed = post(s, "/api/jobs", token, {{"toolbar", {{"year", 2027}}}, {"options", apply}});
  ASSERT_EQ(fixed.status, 202) << fixed.body.dump();
  EXPECT_EQ(fixed.body["job"], 1) << "the refused request started no run";
  EXPECT_TRUE(finished_job(s, fixed.body["job"].get<int64_t>()).contains("result"));
  const json history = get(s, "/api/history").body;
  ASSERT_EQ(history.size(), 1u) << history.dump();
  EXPECT_EQ(history[0]["user"], host.body["users"][0]["username"]);
}

TEST(WizardServer, FixedToAUserTheDatabaseDoesNotHaveItRefusesToStart) {
  Server s({"--user", "999"});
  EXPECT_EQ(s.port(), 0) << s.output();
}

}  // namespace
}  // namespace cpbtest
