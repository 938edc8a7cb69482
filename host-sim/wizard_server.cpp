#include "wizard_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "database.hpp"
#include "history.hpp"
#include "plan_rows.hpp"
#include "plugin_run.hpp"
#include "sql_files.hpp"
#include "wizard_assets.hpp"

namespace host {

namespace {

using json = nlohmann::ordered_json;

constexpr size_t kMaxRequestBytes = 256 * 1024;  // exclusions of a large plan fit; nothing a page sends is larger
constexpr const char* kTooLarge = "the request is too large";
constexpr size_t kMaxJobs = 64;                  // finished runs kept for their pages to read
// Each connection has a thread of its own, up to this many at once; more wait
// for one to finish. The page itself needs a handful.
constexpr size_t kMaxConnectionThreads = 64;
// A request's line, headers and body must all arrive within this time from its
// first byte, however steadily they trickle in; its response must leave
// within the same time once it is ready. Then the connection is closed.
constexpr std::chrono::seconds kRequestDeadline{5};
// After refusing a body it did not read, the server reads and drops what the
// client still sends for this long before closing, so the client gets the answer.
constexpr std::chrono::seconds kLingerOnRefusal{2};

using Clock = std::chrono::steady_clock;

// A refusal the page shows as it is: code, message and the field, as the plugin's errors.
struct ApiError : std::runtime_error {
  ApiError(int http_status, std::string code, const std::string& message, std::string path = {})
      : std::runtime_error(message), status(http_status), code(std::move(code)), path(std::move(path)) {}
  int status;
  std::string code;
  std::string path;
};

json error_json(const std::string& code, const std::string& message, const std::string& path = {}) {
  json error = {{"code", code}, {"message", message}};
  if (!path.empty()) error["path"] = path;
  return {{"error", error}};
}

// Set while a handler refuses a request whose body it has not read: the
// connection then closes after the answer (the rest of the body is no request).
thread_local bool t_close_after_answer = false;

// One request's reads and writes on a connection, bounded by a deadline for
// the whole request (kRequestDeadline from its first byte) and one for the
// whole response, on top of cpp-httplib's timeout for each read and write.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, std::chrono::milliseconds io_timeout)
      : sock_(sock), io_timeout_(io_timeout), read_deadline_(Clock::now() + kRequestDeadline) {}

  bool expired() const { return expired_; }

  bool is_readable() const override { return wait(POLLIN, read_deadline_); }
  bool is_writable() const override { return wait(POLLOUT, write_deadline()); }

  ssize_t read(char* ptr, size_t size) override {
    if (offset_ < filled_) {
      const size_t n = std::min(size, filled_ - offset_);
      std::memcpy(ptr, buffer_ + offset_, n);
      offset_ += n;
      return static_cast<ssize_t>(n);
    }
    if (!is_readable()) return -1;
    if (size >= sizeof buffer_) return receive(ptr, size);
    const ssize_t n = receive(buffer_, sizeof buffer_);
    if (n <= 0) return n;
    filled_ = static_cast<size_t>(n);
    offset_ = std::min(size, filled_);
    std::memcpy(ptr, buffer_, offset_);
    return static_cast<ssize_t>(offset_);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(::getpeername, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(::getsockname, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  Clock::time_point write_deadline() const {
    if (!write_deadline_) write_deadline_ = Clock::now() + kRequestDeadline;
    return *write_deadline_;
  }

  // Waits for `events` up to the per-operation timeout and the deadline.
  bool wait(short events, Clock::time_point deadline) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      expired_ = true;
      return false;
    }
    pollfd fd{sock_, events, 0};
    int ready;
    do ready = ::poll(&fd, 1, static_cast<int>(std::min(left, io_timeout_).count()));
    while (ready < 0 && errno == EINTR);
    if (ready == 0 && Clock::now() >= deadline) expired_ = true;
    return ready > 0 && (fd.revents & (events | POLLHUP | POLLERR));
  }

  ssize_t receive(char* ptr, size_t size) {
    ssize_t n;
    do n = ::recv(sock_, ptr, size, 0);
    while (n < 0 && errno == EINTR);
    return n;
  }

  template <typename Name>
  void address(Name name, std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t length = sizeof a;
    ip.clear();
    port = 0;
    if (name(sock_, reinterpret_cast<sockaddr*>(&a), &length) != 0) return;
    char text[INET6_ADDRSTRLEN] = {0};
    if (a.ss_family == AF_INET) {
      const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
      ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
      port = ntohs(v4.sin_port);
    } else if (a.ss_family == AF_INET6) {
      const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
      ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
      port = ntohs(v6.sin6_port);
    }
    ip = text;
  }

  socket_t sock_;
  std::chrono::milliseconds io_timeout_;
  Clock::time_point read_deadline_;
  mutable std::optional<Clock::time_point> write_deadline_;
  mutable bool expired_ = false;
  char buffer_[4096];
  size_t offset_ = 0, filled_ = 0;
};

// A thread for each connection, started when no thread is free, up to
// kMaxConnectionThreads (cpp-httplib's pool has a fixed 8: eight idle or slow
// connections would leave none for the page).
class ConnectionThreads : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (jobs_.size() > idle_ && threads_.size() < kMaxConnectionThreads) threads_.emplace_back([this] { work(); });
    ready_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_;
      ready_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
      --idle_;
      if (jobs_.empty()) return;
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

// cpp-httplib's server with its connection loop replaced: each request in a
// DeadlineStream, the connection closed once a deadline passes or a refused
// body is left unread.
class HttpServer : public httplib::Server {
 public:
  HttpServer() {
    new_task_queue = [] { return new ConnectionThreads; };
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    const std::chrono::milliseconds io_timeout(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
    bool ok = false;
    for (size_t left = keep_alive_max_count_; svr_sock_ != INVALID_SOCKET && left > 0 && next_request_arrives(sock); --left) {
      DeadlineStream stream(sock, io_timeout);
      t_close_after_answer = false;
      bool closed = false;
      ok = process_request(stream, left == 1, closed, nullptr);
      if (!ok || closed || stream.expired() || t_close_after_answer) break;
    }
    if (t_close_after_answer) linger(sock);
    t_close_after_answer = false;
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  bool next_request_arrives(socket_t sock) const {
    pollfd fd{sock, POLLIN, 0};
    int ready;
    do ready = ::poll(&fd, 1, static_cast<int>(keep_alive_timeout_sec_ * 1000));
    while (ready < 0 && errno == EINTR);
    return ready > 0;
  }

  // Reads and drops what the client still sends, for a bounded time: closing
  // with unread data would reset the connection and could lose the answer.
  static void linger(socket_t sock) {
    ::shutdown(sock, SHUT_WR);
    const Clock::time_point until = Clock::now() + kLingerOnRefusal;
    char scratch[16384];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
      pollfd fd{sock, POLLIN, 0};
      if (left <= 0 || ::poll(&fd, 1, static_cast<int>(left)) <= 0) return;
      if (::recv(sock, scratch, sizeof scratch, 0) <= 0) return;
    }
  }
};

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

// One run of the plugin in a thread of its own, watched by the page.
struct Job {
  std::mutex mutex;
  std::string phase = "starting";
  int64_t done = 0, total = 0;
  bool finished = false;
  PluginOutcome outcome;
  std::atomic<bool> cancel{false};
  int delay_ms = 0;
};

int job_progress(void* user, const char* phase, int64_t done, int64_t total) {
  Job& job = *static_cast<Job*>(user);
  {
    std::lock_guard<std::mutex> lock(job.mutex);
    job.phase = phase ? phase : "";
    job.done = done;
    job.total = total;
  }
  if (job.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(job.delay_ms));
  return job.cancel.load() ? 1 : 0;  // non-zero: the plugin rolls back and answers "cancelled"
}

std::string random_token() {
  std::random_device device;
  std::string token;
  static const char* const kHex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) token += kHex[device() % 16];
  return token;
}

// A toolbar field: a whole number that its field of the C ABI's toolbar
// context holds, refused naming the field, never cut to fit. Which values make
// sense (a school year, an id) is the plugin's to say.
int64_t toolbar_field(const json& toolbar, const char* key, int64_t minimum, int64_t maximum) {
  if (!toolbar.contains(key) || toolbar[key].is_null()) return 0;
  const json& v = toolbar[key];
  const bool fits = v.is_number_unsigned()  ? v.get<uint64_t>() <= static_cast<uint64_t>(maximum)
                    : v.is_number_integer() ? v.get<int64_t>() >= minimum && v.get<int64_t>() <= maximum
                                            : false;
  if (!fits || v.get<int64_t>() < minimum)
    throw ApiError(400, "invalid_context",
                   std::string("the toolbar's ") + key + " must be a whole number from " + std::to_string(minimum) + " to " +
                       std::to_string(maximum) + ", not " + (v.is_number() ? v.dump() : std::string(v.type_name())),
                   std::string("/toolbar/") + key);
  return v.get<int64_t>();
}

// The body of a POST, read as it arrives and refused once it passes
// kMaxRequestBytes, whether it comes with a Content-Length or chunked.
std::string read_body(const httplib::Response& res, const httplib::ContentReader& reader) {
  std::string body;
  bool too_large = false;
  const bool read = reader([&](const char* data, size_t length) {
    if (body.size() + length > kMaxRequestBytes) return !(too_large = true);
    body.append(data, length);
    return true;
  });
  if (read) return body;
  t_close_after_answer = true;
  if (too_large || res.status == 413)
    throw ApiError(413, "invalid_request", kTooLarge);
  throw ApiError(400, "invalid_request", "the request body could not be read");
}

class WizardServer {
 public:
  WizardServer(const PluginApi& api, WizardConfig config)
      : api_(api), config_(std::move(config)), connection_(connection_string(config_.db)), token_(random_token()) {}

  void route(httplib::Server& server) {
    server.set_payload_max_length(kMaxRequestBytes);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return guard(req, res); });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const ApiError& e) {
        send_json(res, error_json(e.code, e.what(), e.path), e.status);
      } catch (const std::exception& e) {
        // The detail (a driver's text, maybe SQL) goes to the log, not to the page.
        std::cerr << "sis-host-sim serve: " << e.what() << "\n";
        send_json(res, error_json("internal", "the simulator could not read the host database; see its log"), 500);
      }
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const std::string message = res.status == 413 ? kTooLarge : res.status == 404 ? "no such page" : "the request was refused";
      send_json(res, error_json(res.status == 404 ? "not_found" : "invalid_request", message), res.status);
    });

    server.Get("/", [this](const httplib::Request&, httplib::Response& res) { page(res); });
    server.Get("/history", [this](const httplib::Request&, httplib::Response& res) { page(res); });
    for (const WizardAsset& asset : wizard_assets()) {
      if (asset.path == "/index.html") continue;
      server.Get(std::string(asset.path), [&asset](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "no-cache");
        res.set_content(std::string(asset.text), std::string(asset.content_type));
      });
    }
    server.Get("/api/describe", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, json::parse(api_.describe()));
    });
    server.Get("/api/host", [this](const httplib::Request&, httplib::Response& res) { send_json(res, host_reads()); });
    server.Get("/api/filters", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string user = req.get_param_value("user");
      if (user.empty() || user.size() > 18 || user.find_first_not_of("0123456789") != std::string::npos)
        throw ApiError(400, "invalid_context", "filters needs ?user=N (a whole number of at most 18 digits)", "/user");
      send_json(res, filters(acting_user(std::stoll(user))));
    });
    server.Get("/api/history", [this](const httplib::Request&, httplib::Response& res) { send_json(res, history()); });
    server.Post("/api/jobs", [this](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
      start_job(read_body(res, reader), res);
    });
    server.Get(R"(/api/jobs/(\d{1,18}))", [this](const httplib::Request& req, httplib::Response& res) {
      send_json(res, job_state(std::stoll(req.matches[1])));
    });
    server.Post(R"(/api/jobs/(\d{1,18})/cancel)", [this](const httplib::Request& req, httplib::Response& res,
                                                         const httplib::ContentReader& reader) {
      (void)read_body(res, reader);
      find_job(std::stoll(req.matches[1]))->cancel = true;
      send_json(res, {{"cancelling", true}});
    });
    server.Post("/api/plan_rows", [this](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
      plan_rows(read_body(res, reader), res);
    });
    server.Get("/api/plan_rows.csv", [this](const httplib::Request& req, httplib::Response& res) { plan_rows_csv(req, res); });
    // Last: any other POST, its body bounded like the others' before the 404.
    server.Post(".*", [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
      (void)read_body(res, reader);
      throw ApiError(404, "not_found", "no such page");
    });
  }

 private:
  // Before any handler: POST needs the page's token and a JSON body; a Host
  // header that is not ours (DNS rebinding) is refused on loopback.
  httplib::Server::HandlerResponse guard(const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                   "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    // Until a handler reads the body: a refusal leaves it unread, and the connection then closes.
    t_close_after_answer = req.method != "GET" && req.method != "HEAD";
    if (!allowed_hosts_.empty() && !allowed_hosts_.count(req.get_header_value("Host"))) {
      send_json(res, error_json("forbidden", "this server answers only to its own address"), 403);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "GET" || req.method == "HEAD") return httplib::Server::HandlerResponse::Unhandled;
    if (req.method != "POST") {
      send_json(res, error_json("invalid_request", "only GET and POST are served"), 405);
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0) {
      send_json(res, error_json("invalid_request", "a POST carries a JSON body"), 415);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.get_header_value("X-CPB-Token") != token_) {
      send_json(res, error_json("forbidden", "this page has expired; reload it"), 403);
      return httplib::Server::HandlerResponse::Handled;
    }
    t_close_after_answer = false;
    return httplib::Server::HandlerResponse::Unhandled;
  }

 public:
  void allow_hosts(const std::set<std::string>& hosts) { allowed_hosts_ = hosts; }

 private:
  // Every page of this server run carries the same token: loading a page
  // never invalidates one already open. The token stops cross-site requests:
  // another site's page can make the browser send a POST here but cannot read
  // this page (no CORS, and the Host check stops DNS rebinding), so it cannot
  // know the token; a page from an earlier run of the server has expired.
  void page(httplib::Response& res) {
    std::string html(find_wizard_asset("/index.html")->text);
    const std::string marker = "{{PAGE_TOKEN}}";
    html.replace(html.find(marker), marker.size(), token_);
    res.set_header("Cache-Control", "no-store");
    res.set_content(html, "text/html; charset=utf-8");
  }

  cpb::odbc::Connection connect() const {
    cpb::odbc::Connection db = cpb::odbc::Connection::open(connection_);
    prepare_session(db);
    return db;
  }

  json host_reads() const {
    cpb::odbc::Connection db = connect();
    json out = {{"years", json::array()}, {"schools", json::array()}, {"calendars", json::array()}, {"users", json::array()},
                {"effective_date", config_.date.empty() ? json() : json(config_.date)},
                {"fixed_user", config_.user ? json(config_.user) : json()}};
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/years", db.engine()));
      while (st.fetch()) out["years"].push_back(st.row().int_or("end_year", 0));
    }
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/schools", db.engine()));
      while (st.fetch()) {
        const cpb::odbc::Row r = st.row();
        out["schools"].push_back({{"id", r.int_or("school_id", 0)}, {"name", r.text_or("name", "")}});
      }
    }
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/calendars", db.engine()));
      while (st.fetch()) {
        const cpb::odbc::Row r = st.row();
        out["calendars"].push_back({{"id", r.int_or("calendar_id", 0)}, {"school_id", r.int_or("school_id", 0)},
                                    {"year", r.int_or("end_year", 0)}, {"name", r.text_or("name", "")}});
      }
    }
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/users", db.engine()));
      while (st.fetch()) {
        const cpb::odbc::Row r = st.row();
        if (!config_.user || r.get_int("user_id") == config_.user)  // fixed to one user: the only one to show
          out["users"].push_back({{"id", r.int_or("user_id", 0)}, {"username", r.text_or("username", "")},
                                    {"disabled", r.int_or("disabled", 0) != 0}, {"may_run", r.int_or("may_run", 0) != 0}});
      }
    }
    return out;
  }

 public:
  // serve --user N: N must be a user of the host database (whether it may run
  // the tool is the plugin's to say, run by run).
  void check_fixed_user() const {
    if (config_.user && host_reads()["users"].empty())
      throw std::invalid_argument("--user " + std::to_string(config_.user) + ": the host database has no such user_account");
  }

 private:

  json filters(int64_t user) const {
    cpb::odbc::Connection db = connect();
    cpb::odbc::Statement st(db);
    st.execute(cpb::host_sql_file("host/filters", db.engine()), {{"user_id", cpb::odbc::Value::of(user)}});
    json out = json::array();
    while (st.fetch()) {
      const cpb::odbc::Row r = st.row();
      out.push_back({{"id", r.int_or("filter_id", 0)}, {"name", r.text_or("name", "")}, {"type", r.text_or("filter_type", "")}});
    }
    return out;
  }

  json history() const {
    cpb::odbc::Connection db = connect();
    json out = json::array();
    for (const BatchSummary& b : list_batches(db))
      out.push_back({{"batch_id", b.batch_id}, {"finished_at", b.finished_at}, {"user", b.user}, {"action", b.action},
                     {"mode", b.mode}, {"persons", b.persons}, {"households", b.households}, {"updated", b.updated},
                     {"unchanged", b.unchanged}, {"unit", b.unit()}, {"status", b.status},
                     {"undoes", b.undoes ? json(b.undoes) : json()}, {"undone_by", b.undone_by ? json(b.undone_by) : json()}});
    return out;
  }

  static json parse_body(const std::string& text) {
    json body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw ApiError(400, "invalid_request", "the request body is not a JSON object");
    return body;
  }

  // The toolbar of a request; the effective date is the server's.
  Toolbar toolbar_of(const json& body) const {
    const json t = body.value("toolbar", json::object());
    if (!t.is_object()) throw ApiError(400, "invalid_context", "toolbar must be an object", "/toolbar");
    constexpr int64_t kMinId = std::numeric_limits<int64_t>::min(), kMaxId = std::numeric_limits<int64_t>::max();
    Toolbar toolbar;
    toolbar.year = static_cast<int32_t>(toolbar_field(t, "year", std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
    toolbar.school = toolbar_field(t, "school", kMinId, kMaxId);
    toolbar.calendar = toolbar_field(t, "calendar", kMinId, kMaxId);
    toolbar.user = acting_user(t.contains("user") && !t["user"].is_null() ? std::optional<int64_t>(toolbar_field(t, "user", kMinId, kMaxId))
                                                                           : std::nullopt);
    toolbar.date = config_.date;
    return toolbar;
  }

  // The user a request runs as: the one the page picked, or, when the server
  // runs fixed to one user (serve --user N), that one; another is refused.
  int64_t acting_user(std::optional<int64_t> asked) const {
    if (!config_.user) return asked.value_or(0);
    if (asked && *asked != config_.user)
      throw ApiError(403, "forbidden",
                     "this wizard runs as user " + std::to_string(config_.user) + " only, not as user " + std::to_string(*asked), "/toolbar/user");
    return config_.user;
  }

  void start_job(const std::string& text, httplib::Response& res) {
    const json body = parse_body(text);
    const Toolbar toolbar = toolbar_of(body);
    if (!body.contains("options") || !body["options"].is_object())
      throw ApiError(400, "invalid_options", "options must be a JSON object", "/options");
    const std::string options = body["options"].dump();
    auto job = std::make_shared<Job>();
    job->delay_ms = config_.progress_delay_ms;
    int64_t id = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      id = ++last_job_;
      jobs_[id] = job;
      while (jobs_.size() > kMaxJobs) jobs_.erase(jobs_.begin());
    }
    std::thread([this, job, toolbar, options] {
      PluginOutcome outcome;
      try {
        outcome = run_plugin(api_, connection_, toolbar, options, job_progress, job.get());
      } catch (const std::exception& e) {
        std::cerr << "sis-host-sim serve: " << e.what() << "\n";
        outcome.status = SIS_E_INTERNAL;
        outcome.json = error_json("internal", "the run failed in the simulator; see its log");
      }
      std::lock_guard<std::mutex> lock(job->mutex);
      job->outcome = std::move(outcome);
      job->finished = true;
    }).detach();
    send_json(res, {{"job", id}}, 202);
  }

  std::shared_ptr<Job> find_job(int64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) throw ApiError(404, "not_found", "no such run");
    return it->second;
  }

  json job_state(int64_t id) {
    const std::shared_ptr<Job> job = find_job(id);
    std::lock_guard<std::mutex> lock(job->mutex);
    json state = {{"job", id}, {"finished", job->finished}, {"phase", job->phase}, {"done", job->done}, {"total", job->total},
                  {"cancelling", job->cancel.load()}};
    if (job->finished) state[job->outcome.ok() ? "result" : "failure"] = job->outcome.json;
    return state;
  }

  // The page's fields go to the plugin as they came: it checks them and names
  // the one that is wrong (/plan_id, /kind, /after, /limit).
  void plan_rows(const std::string& text, httplib::Response& res) {
    const json body = parse_body(text);
    const Toolbar toolbar = toolbar_of(body);
    json options = {{"action", "plan_rows"}, {"kind", "changes"}, {"limit", 50}};
    // The page's fields and the filters of CONTRACT 12.3 go to the plugin as they are; it checks them.
    for (const char* key : {"plan_id", "kind", "after", "limit", "search", "device", "warning"})
      if (body.contains(key)) options[key] = body[key];
    const PluginOutcome outcome = run_plugin(api_, connection_, toolbar, options.dump());
    send_json(res, outcome.json, outcome.ok() ? 200 : 422);
  }

  // Every row of one kind of a plan as a download: the CSV of `sis-host-sim
  // plan-rows --csv` (print_plan_rows, fields guarded against formulas), written
  // page by page as the plugin serves them. A GET, so that the browser saves
  // it; the page's token comes as ?token= instead of a header.
  void plan_rows_csv(const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("token") != token_) throw ApiError(403, "forbidden", "this page has expired; reload it");
    json query = json::object();
    for (const char* key : {"year", "school", "calendar", "user", "plan_id"}) {
      const std::string value = req.get_param_value(key);
      if (value.empty()) continue;
      if (value.size() > 18 || value.find_first_not_of("0123456789") != std::string::npos)
        throw ApiError(400, "invalid_context", std::string(key) + " must be a whole number");
      query[key] = std::stoll(value);
    }
    const Toolbar toolbar = toolbar_of({{"toolbar", query}});
    PlanRowsRequest request;
    request.plan_id = query.value("plan_id", int64_t{0});
    if (request.plan_id < 1) throw ApiError(400, "invalid_options", "plan_id must be a whole number from 1", "/plan_id");
    request.kind = req.has_param("kind") ? req.get_param_value("kind") : "changes";
    request.csv = true;
    if (request.kind != "changes" && request.kind != "skipped")
      throw ApiError(400, "invalid_options", "kind is changes or skipped");
    // A refusal (unknown plan, another user) is answered as JSON before any row is sent.
    const json first = {{"action", "plan_rows"}, {"plan_id", request.plan_id}, {"kind", request.kind}, {"after", nullptr}, {"limit", 1}};
    const PluginOutcome checked = run_plugin(api_, connection_, toolbar, first.dump());
    if (!checked.ok()) {
      send_json(res, checked.json, 422);
      return;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition",
                   "attachment; filename=\"plan-" + std::to_string(request.plan_id) + "-" + request.kind + ".csv\"");
    res.set_chunked_content_provider("text/csv; charset=utf-8", [this, toolbar, request](size_t, httplib::DataSink& sink) {
      // A refusal half-way (the plan expired) ends the response without its last
      // chunk: the browser reports a failed download rather than keeping part of it.
      try {
        const PluginOutcome outcome = print_plan_rows(api_, connection_, toolbar, request, sink.os);
        if (!outcome.ok()) {
          std::cerr << "sis-host-sim serve: the CSV of plan " << request.plan_id << " stopped: " << outcome.error_message() << "\n";
          return false;
        }
      } catch (const std::exception& e) {
        std::cerr << "sis-host-sim serve: the CSV of plan " << request.plan_id << " stopped: " << e.what() << "\n";
        return false;
      }
      sink.done();
      return true;
    });
  }

  const PluginApi& api_;
  WizardConfig config_;
  std::string connection_;
  std::set<std::string> allowed_hosts_;
  const std::string token_;
  std::mutex mutex_;
  std::map<int64_t, std::shared_ptr<Job>> jobs_;
  int64_t last_job_ = 0;
};

bool is_loopback(const std::string& address) { return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1"; }

}  // namespace

int serve_wizard(const PluginApi& api, const WizardConfig& config, std::ostream& out) {
  const size_t colon = config.listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == config.listen.size() ||
      config.listen.find_first_not_of("0123456789", colon + 1) != std::string::npos || config.listen.size() - colon > 6)
    throw std::invalid_argument("--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8080, not \"" + config.listen + "\"");
  std::string address = config.listen.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
  int port = std::stoi(config.listen.substr(colon + 1));
  if (port > 65535) throw std::invalid_argument("--listen: no port " + std::to_string(port));

  HttpServer server;
  WizardServer wizard(api, config);
  wizard.check_fixed_user();
  wizard.route(server);
  if (port == 0) {
    port = server.bind_to_any_port(address);
    if (port < 0) throw std::runtime_error("cannot listen on " + config.listen);
  } else if (!server.bind_to_port(address, port)) {
    throw std::runtime_error("cannot listen on " + config.listen + " (in use, or not an address of this machine)");
  }
  if (is_loopback(address)) {
    const std::string p = std::to_string(port);
    const std::string shown = address.find(':') != std::string::npos ? "[" + address + "]" : address;
    wizard.allow_hosts({shown + ":" + p, "localhost:" + p, "127.0.0.1:" + p, "[::1]:" + p});
  }
  const std::string shown = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  out << "wizard: http://" << shown << ":" << port << "/ on " << (is_connection_string(config.db) ? "the database" : config.db)
      << " (stop with Ctrl-C)" << std::endl;
  if (!is_loopback(address))
    std::cerr << "sis-host-sim serve: listening beyond this machine on " << address << "; anyone who reaches it may change preferences\n";
  if (!server.listen_after_bind()) throw std::runtime_error("the server stopped listening on " + config.listen);
  return 0;
}

}  // namespace host
