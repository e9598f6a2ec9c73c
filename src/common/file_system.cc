#include "common/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <thread>

namespace tobops {

namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string message = what + " " + path + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return ResourceExhausted(message);
  if (err == ENOENT) return NotFound(message);
  return Internal(message);
}

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    return Status::Ok();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return ErrnoStatus("fsync", path_, errno);
    return Status::Ok();
  }

  Status Truncate(uint64_t size_bytes) override {
    if (::ftruncate(fd_, static_cast<off_t>(size_bytes)) != 0) return ErrnoStatus("truncate", path_, errno);
    if (::lseek(fd_, static_cast<off_t>(size_bytes), SEEK_SET) < 0) return ErrnoStatus("seek", path_, errno);
    size_ = size_bytes;
    return Status::Ok();
  }

  uint64_t Size() const override { return size_; }

  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return ErrnoStatus("close", path_, errno);
    return Status::Ok();
  }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixRandomAccessFile : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    out->resize(n);
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, out->data() + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path_, errno);
      }
      if (r == 0) return DataLoss("unexpected end of file " + path_ + " at offset " + std::to_string(offset + done));
      done += static_cast<size_t>(r);
    }
    return Status::Ok();
  }
  uint64_t Size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixFileSystem : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("create", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd, 0));
  }

  Result<std::unique_ptr<WritableFile>> OpenAppendableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open", path, errno);
    off_t end = ::lseek(fd, 0, SEEK_END);
    if (end < 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("seek", path, err);
    }
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd, static_cast<uint64_t>(end)));
  }

  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open", path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("stat", path, err);
    }
    return std::unique_ptr<RandomAccessFile>(
        new PosixRandomAccessFile(path, fd, static_cast<uint64_t>(st.st_size)));
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename", from + " -> " + to, errno);
    return Status::Ok();
  }

  Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoStatus("delete", path, errno);
    return Status::Ok();
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return ErrnoStatus("list", dir, errno);
    std::vector<std::string> names;
    while (struct dirent* entry = ::readdir(d)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    return names;
  }

  Status CreateDirectories(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Internal("create directory " + dir + ": " + ec.message());
    return Status::Ok();
  }

  Status SyncDirectory(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open directory", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return ErrnoStatus("fsync directory", dir, err);
    return Status::Ok();
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Result<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
    return static_cast<uint64_t>(st.st_size);
  }
};

}  // namespace

Result<std::string> FileSystem::ReadFile(const std::string& path) {
  ASSIGN_OR_RETURN(auto file, NewRandomAccessFile(path));
  std::string contents;
  RETURN_IF_ERROR(file->Read(0, file->Size(), &contents));
  return contents;
}

Status FileSystem::WriteFileDurably(const std::string& path, std::string_view contents) {
  const std::string tmp = path + ".tmp";
  {
    ASSIGN_OR_RETURN(auto file, NewWritableFile(tmp));
    Status s = file->Append(contents);
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
    if (!s.ok()) {
      DeleteFile(tmp).IgnoreError();
      return s;
    }
  }
  RETURN_IF_ERROR(RenameFile(tmp, path));
  return SyncDirectory(DirName(path));
}

FileSystem* DefaultFileSystem() {
  static PosixFileSystem* fs = new PosixFileSystem();
  return fs;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// ---------------------------------------------------------------------------
// FaultInjectionFileSystem

class FaultInjectionFileSystem::MemWritableFile : public WritableFile {
 public:
  MemWritableFile(FaultInjectionFileSystem* fs, std::shared_ptr<MemFile> file) : fs_(fs), file_(std::move(file)) {}

  Status Append(std::string_view data) override {
    std::lock_guard lock(fs_->mu_);
    RETURN_IF_ERROR(fs_->CheckAlive());
    uint64_t used = 0;
    for (const auto& [path, f] : fs_->files_) used += f->data.size();
    uint64_t room = fs_->space_limit_bytes_ > used ? fs_->space_limit_bytes_ - used : 0;
    if (data.size() > room) {
      file_->data.append(data.substr(0, static_cast<size_t>(room)));
      return ResourceExhausted("write: No space left on device (simulated)");
    }
    file_->data.append(data);
    return Status::Ok();
  }

  Status Sync() override {
    uint64_t delay_us;
    {
      std::lock_guard lock(fs_->mu_);
      delay_us = fs_->sync_delay_us_;
    }
    if (delay_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    std::lock_guard lock(fs_->mu_);
    RETURN_IF_ERROR(fs_->CheckAlive());
    if (fs_->fail_syncs_) return ResourceExhausted("fsync: No space left on device (simulated)");
    file_->synced_bytes = file_->data.size();
    ++fs_->sync_count_;
    return Status::Ok();
  }

  Status Truncate(uint64_t size_bytes) override {
    std::lock_guard lock(fs_->mu_);
    RETURN_IF_ERROR(fs_->CheckAlive());
    file_->data.resize(static_cast<size_t>(size_bytes));
    if (file_->synced_bytes > size_bytes) file_->synced_bytes = size_bytes;
    return Status::Ok();
  }

  uint64_t Size() const override {
    std::lock_guard lock(fs_->mu_);
    return file_->data.size();
  }

  Status Close() override { return Status::Ok(); }

 private:
  FaultInjectionFileSystem* fs_;
  std::shared_ptr<MemFile> file_;
};

class FaultInjectionFileSystem::MemRandomAccessFile : public RandomAccessFile {
 public:
  MemRandomAccessFile(FaultInjectionFileSystem* fs, std::shared_ptr<MemFile> file) : fs_(fs), file_(std::move(file)) {}

  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    std::lock_guard lock(fs_->mu_);
    RETURN_IF_ERROR(fs_->CheckAlive());
    if (offset + n > file_->data.size()) return DataLoss("unexpected end of file at offset " + std::to_string(offset));
    out->assign(file_->data, static_cast<size_t>(offset), n);
    return Status::Ok();
  }
  uint64_t Size() const override {
    std::lock_guard lock(fs_->mu_);
    return file_->data.size();
  }

 private:
  FaultInjectionFileSystem* fs_;
  std::shared_ptr<MemFile> file_;
};

Status FaultInjectionFileSystem::CheckAlive() const {
  if (crashed_) return Unavailable("simulated crash: file system is down");
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::NewWritableFile(const std::string& path) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  auto file = std::make_shared<MemFile>();
  files_[path] = file;
  return std::unique_ptr<WritableFile>(new MemWritableFile(this, std::move(file)));
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::OpenAppendableFile(const std::string& path) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("open " + path + ": no such file");
  return std::unique_ptr<WritableFile>(new MemWritableFile(this, it->second));
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectionFileSystem::NewRandomAccessFile(const std::string& path) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("open " + path + ": no such file");
  return std::unique_ptr<RandomAccessFile>(new MemRandomAccessFile(this, it->second));
}

Status FaultInjectionFileSystem::RenameFile(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  auto it = files_.find(from);
  if (it == files_.end()) return NotFound("rename " + from + ": no such file");
  auto file = it->second;
  files_.erase(it);
  files_[to] = std::move(file);
  return Status::Ok();
}

Status FaultInjectionFileSystem::DeleteFile(const std::string& path) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  if (files_.erase(path) == 0) return NotFound("delete " + path + ": no such file");
  return Status::Ok();
}

Result<std::vector<std::string>> FaultInjectionFileSystem::ListDirectory(const std::string& dir) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  std::vector<std::string> names;
  for (const auto& [path, file] : files_) {
    if (DirName(path) == dir) names.push_back(path.substr(path.find_last_of('/') + 1));
  }
  return names;
}

Status FaultInjectionFileSystem::CreateDirectories(const std::string& dir) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  directories_.insert(dir);
  return Status::Ok();
}

Status FaultInjectionFileSystem::SyncDirectory(const std::string& dir) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  if (fail_syncs_) return ResourceExhausted("fsync directory: No space left on device (simulated)");
  ++sync_count_;
  return Status::Ok();
}

bool FaultInjectionFileSystem::FileExists(const std::string& path) {
  std::lock_guard lock(mu_);
  return files_.count(path) > 0;
}

Result<uint64_t> FaultInjectionFileSystem::FileSize(const std::string& path) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CheckAlive());
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("stat " + path + ": no such file");
  return static_cast<uint64_t>(it->second->data.size());
}

void FaultInjectionFileSystem::SetSpaceLimitBytes(uint64_t limit_bytes) {
  std::lock_guard lock(mu_);
  space_limit_bytes_ = limit_bytes;
}

void FaultInjectionFileSystem::ClearSpaceLimit() { SetSpaceLimitBytes(UINT64_MAX); }

void FaultInjectionFileSystem::SetFailSyncs(bool fail) {
  std::lock_guard lock(mu_);
  fail_syncs_ = fail;
}

void FaultInjectionFileSystem::SetSyncDelayMicros(uint64_t delay_us) {
  std::lock_guard lock(mu_);
  sync_delay_us_ = delay_us;
}

void FaultInjectionFileSystem::SimulateCrash() {
  std::lock_guard lock(mu_);
  crashed_ = true;
  for (auto& [path, file] : files_) file->data.resize(static_cast<size_t>(file->synced_bytes));
}

void FaultInjectionFileSystem::Restart() {
  std::lock_guard lock(mu_);
  crashed_ = false;
}

Status FaultInjectionFileSystem::CorruptByte(const std::string& path, uint64_t offset) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("corrupt " + path + ": no such file");
  if (offset >= it->second->data.size()) return InvalidArgument("corrupt " + path + ": offset past end");
  it->second->data[static_cast<size_t>(offset)] ^= static_cast<char>(0xff);
  return Status::Ok();
}

Status FaultInjectionFileSystem::AppendUnsynced(const std::string& path, std::string_view data) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("append " + path + ": no such file");
  it->second->data.append(data);
  return Status::Ok();
}

uint64_t FaultInjectionFileSystem::sync_count() const {
  std::lock_guard lock(mu_);
  return sync_count_;
}

uint64_t FaultInjectionFileSystem::used_bytes() const {
  std::lock_guard lock(mu_);
  uint64_t used = 0;
  for (const auto& [path, f] : files_) used += f->data.size();
  return used;
}

}  // namespace tobops
