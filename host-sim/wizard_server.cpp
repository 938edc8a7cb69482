#include "wizard_server.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

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
constexpr size_t kMaxTokens = 256;               // pages open at once; the oldest token lapses first
constexpr size_t kMaxJobs = 64;                  // finished runs kept for their pages to read

// A refusal the page shows as it is: code and message, as the plugin's errors.
struct ApiError : std::runtime_error {
  ApiError(int http_status, std::string code, const std::string& message)
      : std::runtime_error(message), status(http_status), code(std::move(code)) {}
  int status;
  std::string code;
};

json error_json(const std::string& code, const std::string& message) { return {{"error", {{"code", code}, {"message", message}}}}; }

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

int64_t integer_field(const json& object, const char* key, int64_t fallback, int64_t minimum) {
  if (!object.contains(key) || object[key].is_null()) return fallback;
  if (!object[key].is_number_integer() || object[key].get<int64_t>() < minimum)
    throw ApiError(400, "invalid_context", std::string(key) + " must be a whole number of at least " + std::to_string(minimum));
  return object[key].get<int64_t>();
}

class WizardServer {
 public:
  WizardServer(const PluginApi& api, WizardConfig config) : api_(api), config_(std::move(config)), connection_(connection_string(config_.db)) {}

  void route(httplib::Server& server) {
    server.set_payload_max_length(kMaxRequestBytes);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return guard(req, res); });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const ApiError& e) {
        send_json(res, error_json(e.code, e.what()), e.status);
      } catch (const std::exception& e) {
        // The detail (a driver's text, maybe SQL) goes to the log, not to the page.
        std::cerr << "sis-host-sim serve: " << e.what() << "\n";
        send_json(res, error_json("internal", "the simulator could not read the host database; see its log"), 500);
      }
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const std::string message = res.status == 413 ? "the request is too large" : res.status == 404 ? "no such page" : "the request was refused";
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
        throw ApiError(400, "invalid_context", "filters needs ?user=N");
      send_json(res, filters(std::stoll(user)));
    });
    server.Get("/api/history", [this](const httplib::Request&, httplib::Response& res) { send_json(res, history()); });
    server.Post("/api/jobs", [this](const httplib::Request& req, httplib::Response& res) { start_job(req, res); });
    server.Get(R"(/api/jobs/(\d{1,18}))", [this](const httplib::Request& req, httplib::Response& res) {
      send_json(res, job_state(std::stoll(req.matches[1])));
    });
    server.Post(R"(/api/jobs/(\d{1,18})/cancel)", [this](const httplib::Request& req, httplib::Response& res) {
      find_job(std::stoll(req.matches[1]))->cancel = true;
      send_json(res, {{"cancelling", true}});
    });
    server.Post("/api/plan_rows", [this](const httplib::Request& req, httplib::Response& res) { plan_rows(req, res); });
    server.Get("/api/plan_rows.csv", [this](const httplib::Request& req, httplib::Response& res) { plan_rows_csv(req, res); });
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
    std::lock_guard<std::mutex> lock(mutex_);
    if (!token_set_.count(req.get_header_value("X-CPB-Token"))) {
      send_json(res, error_json("forbidden", "this page has expired; reload it"), 403);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

 public:
  void allow_hosts(const std::set<std::string>& hosts) { allowed_hosts_ = hosts; }

 private:
  void page(httplib::Response& res) {
    std::string token = random_token();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tokens_.push_back(token);
      token_set_.insert(token);
      if (tokens_.size() > kMaxTokens) {
        token_set_.erase(tokens_.front());
        tokens_.pop_front();
      }
    }
    std::string html(find_wizard_asset("/index.html")->text);
    const std::string marker = "{{PAGE_TOKEN}}";
    html.replace(html.find(marker), marker.size(), token);
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
                {"effective_date", config_.date.empty() ? json() : json(config_.date)}};
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/years", db.engine().name));
      while (st.fetch()) out["years"].push_back(st.get_int(1).value_or(0));
    }
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/schools", db.engine().name));
      while (st.fetch()) out["schools"].push_back({{"id", st.get_int(1).value_or(0)}, {"name", st.get_text(2).value_or("")}});
    }
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/calendars", db.engine().name));
      while (st.fetch())
        out["calendars"].push_back({{"id", st.get_int(1).value_or(0)}, {"school_id", st.get_int(2).value_or(0)},
                                    {"year", st.get_int(3).value_or(0)}, {"name", st.get_text(4).value_or("")}});
    }
    {
      cpb::odbc::Statement st(db);
      st.execute(cpb::host_sql_file("host/users", db.engine().name));
      while (st.fetch())
        out["users"].push_back({{"id", st.get_int(1).value_or(0)}, {"username", st.get_text(2).value_or("")},
                                {"disabled", st.get_int(3).value_or(0) != 0}, {"may_run", st.get_int(4).value_or(0) != 0}});
    }
    return out;
  }

  json filters(int64_t user) const {
    cpb::odbc::Connection db = connect();
    cpb::odbc::Statement st(db);
    st.execute(cpb::host_sql_file("host/filters", db.engine().name), {{"user_id", cpb::odbc::Value::of(user)}});
    json out = json::array();
    while (st.fetch())
      out.push_back({{"id", st.get_int(1).value_or(0)}, {"name", st.get_text(2).value_or("")}, {"type", st.get_text(3).value_or("")}});
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

  static json parse_body(const httplib::Request& req) {
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw ApiError(400, "invalid_request", "the request body is not a JSON object");
    return body;
  }

  // The toolbar of a request; the effective date is the server's.
  Toolbar toolbar_of(const json& body) const {
    const json t = body.value("toolbar", json::object());
    if (!t.is_object()) throw ApiError(400, "invalid_context", "toolbar must be an object");
    Toolbar toolbar;
    toolbar.year = static_cast<int32_t>(integer_field(t, "year", 0, 1));
    toolbar.school = integer_field(t, "school", 0, 0);
    toolbar.calendar = integer_field(t, "calendar", 0, 0);
    toolbar.user = integer_field(t, "user", 0, 0);
    toolbar.date = config_.date;
    return toolbar;
  }

  void start_job(const httplib::Request& req, httplib::Response& res) {
    const json body = parse_body(req);
    const Toolbar toolbar = toolbar_of(body);
    if (!body.contains("options") || !body["options"].is_object()) throw ApiError(400, "invalid_options", "options must be a JSON object");
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

  void plan_rows(const httplib::Request& req, httplib::Response& res) {
    const json body = parse_body(req);
    const Toolbar toolbar = toolbar_of(body);
    json options = {{"action", "plan_rows"},
                    {"plan_id", integer_field(body, "plan_id", 0, 1)},
                    {"kind", body.value("kind", std::string("changes"))},
                    {"after", body.contains("after") ? body["after"] : json()},
                    {"limit", integer_field(body, "limit", 50, 1)}};
    // The filters of CONTRACT 12.3 go to the plugin as they are; it checks them.
    for (const char* key : {"search", "device", "warning"})
      if (body.contains(key)) options[key] = body[key];
    const PluginOutcome outcome = run_plugin(api_, connection_, toolbar, options.dump());
    send_json(res, outcome.json, outcome.ok() ? 200 : 422);
  }

  // Every row of one kind of a plan as a download: the CSV of `sis-host-sim
  // plan-rows --csv` (print_plan_rows, fields guarded against formulas), written
  // page by page as the plugin serves them. A GET, so that the browser saves
  // it; the page's token comes as ?token= instead of a header.
  void plan_rows_csv(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!token_set_.count(req.get_param_value("token"))) throw ApiError(403, "forbidden", "this page has expired; reload it");
    }
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
    request.plan_id = integer_field(query, "plan_id", 0, 1);
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
  std::mutex mutex_;
  std::deque<std::string> tokens_;
  std::set<std::string> token_set_;
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

  httplib::Server server;
  WizardServer wizard(api, config);
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
