// iptux-driver: a headless IP Messenger peer built on libiptux-core, for tests.
//
// It speaks the iptux dialect of the IP Messenger protocol (UDP and TCP port
// 2425, broadcast BR_ENTRY at start), so run it ONLY inside a private network
// namespace.  It is steered by JSON lines on stdin and reports JSON lines on
// stdout, one object per line, each with an "event" key:
//
//   ready           {nick, group, download_dir, config_dir, pid}
//   peer_appeared   {ip, self, name, user, host, group, version, encode, compatible}
//                   (self: iptux also lists its own address, from its own broadcast)
//   peer_changed    same fields, when a known peer's name/group/encode changes
//   peer_left       {ip}
//   message         {from, name, text}
//   picture         {from, path}          (iptux in-chat picture, saved by the core)
//   file_offer      {from, name, size, kind: "file"|"dir", fileid, packetno}
//   receiving       {from, name, kind, path}   (auto-accepted; transfer starts)
//   file_received   {from, name, kind, path, size, ok}
//   files_offered   {to, files: [{path, name, kind, size, fileid}]}
//   file_sent       {to, name, size, ok}  (a folder: name/size of its last entry)
//   send_result     {to, id, acked, ms}   (after a send_text command)
//   picture_sent    {to, sent}            (after a send_picture command)
//   send_failed     {from, text}          (the core gave up resending a message)
//   peers           {peers: [...]}        (answer to "list")
//   error           {message}
//   bye             {}
//
// Commands (one JSON object per line on stdin, key "cmd"):
//   {"cmd": "send_text", "to": IP, "text": STR, "id": ANY?}
//   {"cmd": "send_files", "to": IP, "paths": [PATH, ...]}   files and/or folders
//   {"cmd": "send_picture", "to": IP, "path": PATH}   an in-chat picture, sent as
//                                     iptux does it: a TCP "sublayer" stream
//   {"cmd": "detect", "ip": IP}       unicast a BR_ENTRY to one address
//   {"cmd": "list"}
//   {"cmd": "quit"}                   sends BR_EXIT to every known peer, exits 0
// End of stdin counts as quit.
//
// Every incoming file or folder is accepted at once into --download-dir.

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <json/json.h>

#include <iptux-core/CoreThread.h>
#include <iptux-core/Event.h>
#include <iptux-core/Exception.h>
#include <iptux-core/IptuxConfig.h>
#include <iptux-core/Models.h>
#include <iptux-core/ProgramData.h>

// libiptux-core exports a log-level switch that its public headers do not
// declare (it lives in the internal iptux-utils).  Declaring it here lets
// --log-level debug make the core dump every packet it sends or receives.
namespace iptux {
enum class LogLevel {
  WARN = G_LOG_LEVEL_WARNING,
  INFO = G_LOG_LEVEL_INFO,
  DEBUG = G_LOG_LEVEL_DEBUG
};
class Log {
 public:
  static void setLogLevel(LogLevel level);
};
}  // namespace iptux

// Workaround for iptux bug #472 (fixed upstream in 0.9.4, #656), present in
// Debian 12's 0.8.3: AnalogFS::mkdir() calls g_mkdir(), a macro for mkdir(),
// which inside the member function resolves to AnalogFS::mkdir itself, so
// receiving a folder whose directory does not exist yet recurses until the
// stack overflows (SIGSEGV).  RecvFileData::RecvDirFiles() reaches that
// method through the library's PLT, so the definition below, exported from
// this executable (see the build script), takes its place.  It does what the
// method was meant to do.  AnalogFS's only data member is its current
// directory, char path[1024], so `this` points at that string.
namespace iptux {
class AnalogFS {
 public:
  int mkdir(const char* dir, mode_t mode);
};

int AnalogFS::mkdir(const char* dir, mode_t mode) {
  std::string cwd(reinterpret_cast<const char*>(this));
  std::string target;
  if (std::strcmp(dir, ".") == 0) {
    target = cwd;
  } else if (dir[0] == '/') {
    target = dir;
  } else if (std::strcmp(dir, "..") == 0) {
    auto slash = cwd.rfind('/');
    target = (slash == std::string::npos || slash == 0) ? cwd : cwd.substr(0, slash);
  } else {
    target = (cwd == "/" ? "/" : cwd + "/") + dir;
  }
  if (::access(target.c_str(), F_OK) == 0) return 0;
  return ::mkdir(target.c_str(), mode);
}
}  // namespace iptux

using iptux::CoreThread;
using iptux::Event;
using iptux::EventType;
using iptux::FileAttr;
using iptux::FileInfo;
using iptux::IptuxConfig;
using iptux::PalInfo;
using iptux::ProgramData;

namespace {

// ---------------------------------------------------------------- output

std::mutex g_out_mutex;

// Text from the network may not be valid UTF-8; JSON must be.
std::string valid_utf8(const std::string& s) {
  gchar* fixed = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string res(fixed);
  g_free(fixed);
  return res;
}

// Write one event as a single JSON line on stdout.
void emit(const std::string& name, Json::Value body = Json::Value(Json::objectValue)) {
  body["event"] = name;
  Json::StreamWriterBuilder builder;
  builder["indentation"] = "";
  builder["emitUTF8"] = true;
  std::string line = Json::writeString(builder, body);
  std::lock_guard<std::mutex> lock(g_out_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void emit_error(const std::string& message) {
  Json::Value v;
  v["message"] = valid_utf8(message);
  emit("error", v);
}

// ---------------------------------------------------------------- options

struct Options {
  std::string nick = "iptux-driver";
  std::string group;
  std::string download_dir;
  std::string config_dir;
  std::string bind_ip;         // empty: 0.0.0.0
  std::string log_level;       // "", "info" or "debug"
  int retry_us = 0;            // 0: the core's default (1 s between resends)
  bool no_broadcast = false;   // skip the start-up BR_ENTRY broadcast
};

void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --download-dir DIR --config-dir DIR [--nick NAME] [--group NAME]\n"
               "          [--bind-ip IP] [--retry-us N] [--no-broadcast] [--log-level info|debug]\n",
               argv0);
}

bool parse_options(int argc, char** argv, Options& o) {
  static const option longopts[] = {
      {"nick", required_argument, nullptr, 'n'},
      {"group", required_argument, nullptr, 'g'},
      {"download-dir", required_argument, nullptr, 'd'},
      {"config-dir", required_argument, nullptr, 'c'},
      {"bind-ip", required_argument, nullptr, 'b'},
      {"log-level", required_argument, nullptr, 'l'},
      {"retry-us", required_argument, nullptr, 'r'},
      {"no-broadcast", no_argument, nullptr, 'B'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, nullptr)) != -1) {
    switch (c) {
      case 'n': o.nick = optarg; break;
      case 'g': o.group = optarg; break;
      case 'd': o.download_dir = optarg; break;
      case 'c': o.config_dir = optarg; break;
      case 'b': o.bind_ip = optarg; break;
      case 'l': o.log_level = optarg; break;
      case 'r': o.retry_us = std::atoi(optarg); break;
      case 'B': o.no_broadcast = true; break;
      default: return false;
    }
  }
  return !o.download_dir.empty() && !o.config_dir.empty();
}

// ---------------------------------------------------------------- helpers

std::string basename_of(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto pos = p.rfind('/');
  return pos == std::string::npos ? p : p.substr(pos + 1);
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// A name from the network made safe as one path component.
std::string safe_component(std::string name) {
  for (char& ch : name) {
    if (ch == '/') ch = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "_" + name;
  return name;
}

// "dir/name.ext", or "dir/name (1).ext" ... if that is taken (as iptux does).
std::string unique_path(const std::string& dir, const std::string& name) {
  std::string first = dir + "/" + name;
  if (!exists(first)) return first;
  auto dot = name.rfind('.');
  std::string stem = (dot == std::string::npos || dot == 0) ? name : name.substr(0, dot);
  std::string ext = (dot == std::string::npos || dot == 0) ? "" : name.substr(dot);
  for (int i = 1;; ++i) {
    std::string candidate = dir + "/" + stem + " (" + std::to_string(i) + ")" + ext;
    if (!exists(candidate)) return candidate;
  }
}

// inet_ntoa() shares one buffer between threads; this does not.
std::string ip_string(in_addr addr) {
  char buf[INET_ADDRSTRLEN] = "";
  inet_ntop(AF_INET, &addr, buf, sizeof(buf));
  return buf;
}

// Whether an address is one of this host's own.  iptux hears its own
// broadcast BR_ENTRY and lists itself as a peer; tests want to tell.
bool is_local_address(in_addr addr) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool found = false;
  for (ifaddrs* it = list; it && !found; it = it->ifa_next) {
    if (it->ifa_addr && it->ifa_addr->sa_family == AF_INET) {
      auto* sin = reinterpret_cast<sockaddr_in*>(it->ifa_addr);
      found = sin->sin_addr.s_addr == addr.s_addr;
    }
  }
  freeifaddrs(list);
  return found;
}

Json::Value pal_json(const PalInfo& pal) {
  Json::Value v;
  v["ip"] = ip_string(pal.ipv4);
  v["self"] = is_local_address(pal.ipv4);
  v["name"] = valid_utf8(pal.getName());
  v["user"] = valid_utf8(pal.getUser());
  v["host"] = valid_utf8(pal.getHost());
  v["group"] = valid_utf8(pal.getGroup());
  v["version"] = valid_utf8(pal.getVersion());
  v["encode"] = valid_utf8(pal.getEncode());
  v["compatible"] = pal.isCompatible();
  v["online"] = pal.isOnline();
  return v;
}

const char* kind_of(FileAttr attr) {
  return attr == FileAttr::DIRECTORY ? "dir" : "file";
}

// ---------------------------------------------------------------- driver

class Driver {
 public:
  explicit Driver(const Options& options) : opt_(options) {}

  int run();

 private:
  // Events from the core arrive on its own event thread.
  void on_event(std::shared_ptr<const Event> event);
  void on_pal(const PalInfo& pal);
  void on_pal_offline(const std::string& ip);
  void on_message(const iptux::NewMessageEvent& e);
  void on_offer(const iptux::NewShareFileFromFriendEvent& e);
  void on_task(EventType type, int task_id);
  void receive_loop();

  // Commands from stdin; slow ones run on the worker thread.
  void handle_command(const Json::Value& cmd);
  void send_text(const Json::Value& cmd);
  void send_files(const Json::Value& cmd);
  void send_picture(const Json::Value& cmd);
  void list_peers();
  void post(std::function<void()> job);
  void worker_loop();

  Options opt_;
  std::shared_ptr<CoreThread> core_;

  // What has been reported about each peer, to turn the core's repeated
  // "online" notices into appeared/changed/left transitions.
  struct Known {
    bool online = false;
    std::string name, group, encode;
  };
  std::mutex peers_mutex_;
  std::map<std::string, Known> peers_;

  // Transfers: files we accepted (owned here, the core keeps raw pointers),
  // and the task ids the core gave them.
  struct Incoming {
    std::unique_ptr<FileInfo> file;
    std::string from, name;
  };
  std::mutex transfers_mutex_;
  std::vector<std::unique_ptr<Incoming>> incoming_;  // never shrinks
  uint32_t next_file_id_ = 10000;  // ids below 10000 are the core's shared files

  // One worker runs the slow commands in order (SendMessage blocks >= 1 s).
  std::mutex jobs_mutex_;
  std::condition_variable jobs_cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;

  // Accepted files are fetched one at a time: the core's task registry is an
  // unsynchronised std::map, which concurrent RecvFileAsync() calls race on.
  std::mutex recv_mutex_;
  std::condition_variable recv_cv_;
  std::deque<Incoming*> to_receive_;
};

void Driver::on_event(std::shared_ptr<const Event> event) {
  try {
    switch (event->getType()) {
      case EventType::NEW_PAL_ONLINE: {
        auto e = std::dynamic_pointer_cast<const iptux::NewPalOnlineEvent>(event);
        if (e && e->getPalInfo()) on_pal(*e->getPalInfo());
        break;
      }
      case EventType::PAL_UPDATE: {
        auto e = std::dynamic_pointer_cast<const iptux::PalUpdateEvent>(event);
        if (e && e->getPalInfo()) on_pal(*e->getPalInfo());
        break;
      }
      case EventType::PAL_OFFLINE: {
        auto e = std::dynamic_pointer_cast<const iptux::PalOfflineEvent>(event);
        if (e) on_pal_offline(e->GetPalKey().GetIpv4String());
        break;
      }
      case EventType::NEW_MESSAGE: {
        auto e = std::dynamic_pointer_cast<const iptux::NewMessageEvent>(event);
        if (e) on_message(*e);
        break;
      }
      case EventType::NEW_SHARE_FILE_FROM_FRIEND: {
        auto e = std::dynamic_pointer_cast<const iptux::NewShareFileFromFriendEvent>(event);
        if (e) on_offer(*e);
        break;
      }
      case EventType::SEND_FILE_FINISHED: {
        auto e = std::dynamic_pointer_cast<const iptux::AbstractTaskIdEvent>(event);
        if (e) on_task(event->getType(), e->GetTaskId());
        break;
      }
      default:
        break;  // icons, config, password prompts: not needed by the tests
    }
  } catch (const std::exception& ex) {
    emit_error(std::string("event handling failed: ") + ex.what());
  }
}

void Driver::on_pal(const PalInfo& pal) {
  std::string ip = ip_string(pal.ipv4);
  if (!pal.isOnline()) {
    on_pal_offline(ip);
    return;
  }
  std::string kind;
  {
    std::lock_guard<std::mutex> lock(peers_mutex_);
    Known& k = peers_[ip];
    if (!k.online) {
      kind = "peer_appeared";
    } else if (k.name != pal.getName() || k.group != pal.getGroup() || k.encode != pal.getEncode()) {
      kind = "peer_changed";
    }
    k.online = true;
    k.name = pal.getName();
    k.group = pal.getGroup();
    k.encode = pal.getEncode();
  }
  if (!kind.empty()) emit(kind, pal_json(pal));
}

void Driver::on_pal_offline(const std::string& ip) {
  {
    std::lock_guard<std::mutex> lock(peers_mutex_);
    auto it = peers_.find(ip);
    // The core reports one BR_EXIT twice; say it once.
    if (it == peers_.end() || !it->second.online) return;
    it->second.online = false;
  }
  Json::Value v;
  v["ip"] = ip;
  emit("peer_left", v);
}

void Driver::on_message(const iptux::NewMessageEvent& e) {
  const auto& para = e.getMsgPara();
  auto pal = para.getPal();
  std::string ip = pal ? ip_string(pal->ipv4) : "";
  for (const auto& chip : para.dtlist) {
    Json::Value v;
    v["from"] = ip;
    if (para.stype == iptux::MessageSourceType::ERROR) {
      // The core's own notice after 4 unanswered sends of a SENDMSG.
      v["text"] = valid_utf8(chip.data);
      emit("send_failed", v);
    } else if (chip.type == iptux::MessageContentType::PICTURE) {
      v["path"] = chip.data;
      emit("picture", v);
    } else {
      v["name"] = pal ? valid_utf8(pal->getName()) : "";
      v["text"] = valid_utf8(chip.data);
      emit("message", v);
    }
  }
}

void Driver::on_offer(const iptux::NewShareFileFromFriendEvent& e) {
  const FileInfo& offered = e.GetFileInfo();
  std::string from = offered.fileown ? ip_string(offered.fileown->ipv4) : "";
  std::string name = offered.filepath ? offered.filepath : "";

  Json::Value v;
  v["from"] = from;
  v["name"] = valid_utf8(name);
  v["size"] = Json::Int64(offered.filesize);
  v["kind"] = kind_of(offered.fileattr);
  v["fileid"] = offered.fileid;
  v["packetno"] = offered.packetn;
  emit("file_offer", v);

  // Accept at once.  The core writes a regular file to exactly `filepath`;
  // a folder goes into dirname(filepath) under the name the sender streams.
  auto file = std::make_unique<FileInfo>(offered);
  std::string path = unique_path(opt_.download_dir, safe_component(name));
  if (offered.fileattr == FileAttr::DIRECTORY) {
    path = opt_.download_dir + "/" + safe_component(name);
  }
  g_free(file->filepath);
  file->filepath = g_strdup(path.c_str());
  Incoming* incoming = nullptr;
  {
    std::lock_guard<std::mutex> lock(transfers_mutex_);
    incoming_.push_back(std::make_unique<Incoming>(Incoming{std::move(file), from, name}));
    incoming = incoming_.back().get();
  }
  Json::Value r;
  r["from"] = from;
  r["name"] = valid_utf8(name);
  r["kind"] = kind_of(offered.fileattr);
  r["path"] = valid_utf8(path);
  emit("receiving", r);
  {
    std::lock_guard<std::mutex> lock(recv_mutex_);
    to_receive_.push_back(incoming);
  }
  recv_cv_.notify_one();
}

void Driver::receive_loop() {
  for (;;) {
    Incoming* in = nullptr;
    {
      std::unique_lock<std::mutex> lock(recv_mutex_);
      recv_cv_.wait(lock, [this] { return stopping_ || !to_receive_.empty(); });
      if (to_receive_.empty()) return;
      in = to_receive_.front();
      to_receive_.pop_front();
    }
    FileInfo* file = in->file.get();
    bool ok = false;
    try {
      // Blocks until the transfer ends: GETFILEDATA (or GETDIRFILES) over TCP.
      core_->RecvFile(file);
      // On success the core sets finishedsize to the announced size; on a
      // short read it leaves the count of bytes actually received.
      ok = file->finishedsize == file->filesize && exists(file->filepath);
      if (ok && file->fileattr == FileAttr::REGULAR) {
        struct stat st;
        ok = ::stat(file->filepath, &st) == 0 && st.st_size == file->filesize;
      }
    } catch (const std::exception& ex) {
      emit_error(std::string("receive failed: ") + ex.what());
    }
    Json::Value v;
    v["from"] = in->from;
    v["name"] = valid_utf8(in->name);
    v["kind"] = kind_of(file->fileattr);
    v["path"] = valid_utf8(file->filepath);
    v["size"] = Json::Int64(file->finishedsize);
    v["ok"] = ok;
    emit("file_received", v);
  }
}

void Driver::on_task(EventType type, int task_id) {
  // Receives are reported by receive_loop(); here only finished sends.
  if (type != EventType::SEND_FILE_FINISHED) return;
  auto stat = core_->GetTransTaskStat(task_id);
  if (!stat) return;
  Json::Value v;
  v["to"] = stat->getIp();
  // For a folder the core leaves the name and size of the last entry it
  // streamed here, not the folder's.
  v["name"] = valid_utf8(stat->getFilename());
  v["size"] = Json::Int64(stat->getFileLength());
  v["ok"] = stat->getStatus() == "tip-finish";
  emit("file_sent", v);
}

// ---------------------------------------------------------------- commands

void Driver::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(jobs_mutex_);
    jobs_.push_back(std::move(job));
  }
  jobs_cv_.notify_one();
}

void Driver::worker_loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(jobs_mutex_);
      jobs_cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping and nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const iptux::Exception& ex) {
      emit_error(ex.what());
    } catch (const std::exception& ex) {
      emit_error(ex.what());
    }
  }
}

void Driver::send_text(const Json::Value& cmd) {
  std::string to = cmd.get("to", "").asString();
  std::string text = cmd.get("text", "").asString();
  Json::Value id = cmd.get("id", Json::Value());
  auto pal = core_->GetPal(to);
  if (!pal) {
    emit_error("send_text: no such peer " + to);
    return;
  }
  auto start = std::chrono::steady_clock::now();
  // Blocks: sends the SENDMSG, sleeps the retry interval, resends until the
  // peer's RECVMSG clears pal->rpacketn, at most 4 sends in all.
  core_->SendMessage(pal, text);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  Json::Value v;
  v["to"] = to;
  v["id"] = id;
  v["acked"] = pal->rpacketn == 0;  // sends are serialised, so this is ours
  v["ms"] = Json::Int64(ms);
  emit("send_result", v);
}

void Driver::send_files(const Json::Value& cmd) {
  std::string to = cmd.get("to", "").asString();
  auto pal = core_->GetPal(to);
  if (!pal) {
    emit_error("send_files: no such peer " + to);
    return;
  }
  std::vector<FileInfo*> files;
  Json::Value listed(Json::arrayValue);
  uint32_t filenum = 0;
  for (const auto& p : cmd["paths"]) {
    std::string path = p.asString();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
      emit_error("send_files: not a file or folder: " + path);
      continue;
    }
    // The core keeps "private" files by id (>= 10000) and serves them to
    // whoever asks for that id; it never forgets them.
    auto file = std::make_shared<FileInfo>();
    file->fileid = next_file_id_++;
    file->fileattr = S_ISDIR(st.st_mode) ? FileAttr::DIRECTORY : FileAttr::REGULAR;
    file->filesize = -1;  // the core fills it in (a folder's total size)
    file->filepath = g_strdup(path.c_str());
    file->filectime = static_cast<uint32_t>(st.st_ctime);
    file->filenum = filenum++;
    file->fileown = pal;
    file->ensureFilesizeFilled();
    core_->Lock();
    core_->AddPrivateFile(file);
    core_->Unlock();
    files.push_back(file.get());

    Json::Value f;
    f["path"] = valid_utf8(path);
    f["name"] = valid_utf8(basename_of(path));
    f["kind"] = kind_of(file->fileattr);
    f["size"] = Json::Int64(file->filesize);
    f["fileid"] = file->fileid;
    listed.append(f);
  }
  if (files.empty()) return;
  // One SENDMSG|FILEATTACHOPT carrying every file (no SENDCHECKOPT: the core
  // neither asks for nor waits for an acknowledgement of an offer).
  std::vector<const PalInfo*> pals{pal.get()};
  core_->BcstFileInfoEntry(pals, files);
  Json::Value v;
  v["to"] = to;
  v["files"] = listed;
  emit("files_offered", v);
}

void Driver::send_picture(const Json::Value& cmd) {
  std::string to = cmd.get("to", "").asString();
  auto pal = core_->GetPal(to);
  if (!pal) {
    emit_error("send_picture: no such peer " + to);
    return;
  }
  // The GUI sends each picture of a message this way (then the text, with a
  // 0x01 byte where each picture was); the core would delete the file after.
  iptux::ChipData chip(iptux::MessageContentType::PICTURE, cmd.get("path", "").asString());
  chip.SetDeleteFileAfterSent(false);
  bool sent = core_->SendMessage(pal, chip);
  Json::Value v;
  v["to"] = to;
  v["sent"] = sent;
  emit("picture_sent", v);
}

void Driver::list_peers() {
  Json::Value arr(Json::arrayValue);
  core_->Lock();
  for (const auto& pal : core_->GetPalList()) arr.append(pal_json(*pal));
  core_->Unlock();
  Json::Value v;
  v["peers"] = arr;
  emit("peers", v);
}

void Driver::handle_command(const Json::Value& cmd) {
  std::string name = cmd.get("cmd", "").asString();
  if (name == "send_text") {
    post([this, cmd] { send_text(cmd); });
  } else if (name == "send_files") {
    post([this, cmd] { send_files(cmd); });
  } else if (name == "send_picture") {
    post([this, cmd] { send_picture(cmd); });
  } else if (name == "detect") {
    core_->SendDetectPacket(cmd.get("ip", "").asString());
  } else if (name == "list") {
    list_peers();
  } else {
    emit_error("unknown command: " + name);
  }
}

int Driver::run() {
  // Everything the core writes (cache, icons, logs) goes below config_dir:
  // glib reads these variables once, before the first g_get_user_*_dir().
  std::string home = opt_.config_dir;
  g_mkdir_with_parents(home.c_str(), 0700);
  g_mkdir_with_parents(opt_.download_dir.c_str(), 0755);
  setenv("HOME", home.c_str(), 1);
  setenv("XDG_CONFIG_HOME", (home + "/config").c_str(), 1);
  setenv("XDG_CACHE_HOME", (home + "/cache").c_str(), 1);
  setenv("XDG_DATA_HOME", (home + "/data").c_str(), 1);

  if (opt_.log_level == "debug") {
    iptux::Log::setLogLevel(iptux::LogLevel::DEBUG);
  } else if (opt_.log_level == "info") {
    iptux::Log::setLogLevel(iptux::LogLevel::INFO);
  }

  // The core's settings, in the same JSON file format as ~/.iptux/config.json.
  auto config = std::make_shared<IptuxConfig>(home + "/config.json");
  config->SetString("nick_name", opt_.nick);
  config->SetString("belong_group", opt_.group);
  config->SetString("archive_path", opt_.download_dir);
  config->SetBool("record_log", false);
  if (!opt_.bind_ip.empty()) config->SetString("bind_ip", opt_.bind_ip);
  if (opt_.retry_us > 0) config->SetInt("send_message_retry_in_us", opt_.retry_us);
  if (opt_.no_broadcast) config->SetBool("debug_dont_broadcast", true);
  config->Save();

  auto data = std::make_shared<ProgramData>(config);
  core_ = std::make_shared<CoreThread>(data);
  core_->signalEvent.connect([this](std::shared_ptr<const Event> e) { on_event(e); });
  try {
    core_->start();  // binds 2425 and broadcasts BR_ENTRY
  } catch (const iptux::Exception& ex) {
    emit_error(std::string("start failed: ") + ex.what());
    return 2;
  }

  std::thread worker([this] { worker_loop(); });
  std::thread receiver([this] { receive_loop(); });

  Json::Value ready;
  ready["nick"] = opt_.nick;
  ready["group"] = opt_.group;
  ready["download_dir"] = opt_.download_dir;
  ready["config_dir"] = opt_.config_dir;
  ready["pid"] = static_cast<int>(getpid());
  emit("ready", ready);

  Json::CharReaderBuilder rbuilder;
  std::unique_ptr<Json::CharReader> reader(rbuilder.newCharReader());
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    Json::Value cmd;
    std::string errs;
    if (!reader->parse(line.data(), line.data() + line.size(), &cmd, &errs) || !cmd.isObject()) {
      emit_error("bad command line: " + errs);
      continue;
    }
    if (cmd.get("cmd", "").asString() == "quit") break;
    try {
      handle_command(cmd);
    } catch (const std::exception& ex) {
      emit_error(ex.what());
    }
  }

  // Finish queued sends, then stop: stop() unicasts BR_EXIT to every peer
  // the core has ever seen and joins its UDP/TCP/event threads.
  {
    std::lock_guard<std::mutex> lock(jobs_mutex_);
    std::lock_guard<std::mutex> lock2(recv_mutex_);
    stopping_ = true;
  }
  jobs_cv_.notify_all();
  recv_cv_.notify_all();
  worker.join();
  receiver.detach();  // may be inside a long transfer; _Exit below ends it
  core_->stop();
  emit("bye");
  // Transfers run on detached core threads that may still hold pointers into
  // the core; leave without running destructors.
  std::fflush(stdout);
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  // The core writes to TCP sockets with plain write(): a peer that hangs up
  // would otherwise kill us with SIGPIPE (the iptux GUI ignores it too).
  std::signal(SIGPIPE, SIG_IGN);
  Options options;
  if (!parse_options(argc, argv, options)) {
    usage(argv[0]);
    return 64;
  }
  Driver driver(options);
  return driver.run();
}
