// FrameSource over GStreamer (1.22, C API), for capture and decoding only.
//
// Each source is one pipeline: the source part from BuildSourcePipeline, then a common tail
// (videorate for --fps, videoconvert + videoscale to RGB at the display size) into one appsink
// that the caller's thread pulls from. The appsink keeps at most two frames and does not wait
// for them to be read at end of stream (wait-on-eos=false), so an unread sink never holds the
// pipeline; shutting down sets the pipeline to NULL, which also releases a blocked upstream.
// Errors come from the bus, with the missing-plugin messages decodebin posts turned into the
// name of what is missing (read from the message itself: no libgstpbutils needed).
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "video/child_process.h"
#include "video/frame_source.h"
#include "video/source_spec.h"

namespace coralpi {
namespace {

constexpr GstClockTime kPollInterval = 50 * GST_MSECOND;
constexpr GstClockTime kStartTimeout = 10 * GST_SECOND;
constexpr GstClockTime kErrorWait = GST_SECOND / 2;  // for the error behind a failed start

Status InitGStreamer() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    GError* err = nullptr;
    if (!gst_init_check(nullptr, nullptr, &err)) {
      failure = std::string("GStreamer cannot start: ") + (err ? err->message : "unknown reason");
      if (err) g_error_free(err);
      return;
    }
  });
  if (!failure.empty()) return Error{failure};
  return OkStatus();
}

Status CheckElements(const SourceSpec& spec, const std::vector<std::string>& factories) {
  for (const std::string& name : factories) {
    if (HasGstElement(name)) continue;
    std::string package = PackageForElement(name);
    return MakeError(spec.text, "GStreamer element " + name + " not found" +
                                    (package.empty() ? "" : " (install " + package + ")"));
  }
  return OkStatus();
}

Status CheckPath(const SourceSpec& spec) {
  if (spec.kind != SourceKind::kFile && spec.kind != SourceKind::kV4l2) return OkStatus();
  struct stat st {};
  if (::stat(spec.location.c_str(), &st) != 0) return MakeError(spec.text, std::strerror(errno));
  if (spec.kind == SourceKind::kFile && !S_ISREG(st.st_mode))
    return MakeError(spec.text, "not a regular file");
  if (::access(spec.location.c_str(), R_OK) != 0) return MakeError(spec.text, std::strerror(errno));
  return OkStatus();
}

// videorate (optional), conversion to RGB at the display size, the appsink.
std::string Tail(const SourceOptions& options, std::vector<std::string>& factories) {
  std::string tail;
  if (options.max_fps > 0) {
    tail += " ! videorate drop-only=true max-rate=" + std::to_string(options.max_fps);
    factories.push_back("videorate");
  }
  tail += " ! videoconvert ! videoscale ! video/x-raw,format=RGB";
  if (options.width > 0 && options.height > 0) {
    tail += ",width=" + std::to_string(options.width) +
            ",height=" + std::to_string(options.height) + ",pixel-aspect-ratio=1/1";
  }
  tail += " ! appsink name=coralpi_sink";
  for (const char* f : {"videoconvert", "videoscale", "appsink"}) factories.push_back(f);
  return tail;
}

class GstFrameSource : public FrameSource {
 public:
  explicit GstFrameSource(SourceSpec spec) : spec_(std::move(spec)) {}
  ~GstFrameSource() override;

  Status Open(const SourceOptions& options);
  const std::string& description() const override { return spec_.text; }
  Result<std::optional<CapturedFrame>> Next() override;
  void Interrupt() override { interrupted_ = true; }

 private:
  Status Build(const SourceOptions& options);
  Status Start();
  Status CheckBus();
  Result<CapturedFrame> Convert(GstSample* sample);
  std::string CommandEnd();

  SourceSpec spec_;
  std::unique_ptr<ChildProcess> child_;
  GstElement* pipeline_ = nullptr;
  GstAppSink* sink_ = nullptr;
  GstBus* bus_ = nullptr;
  GstCaps* caps_ = nullptr;  // of the last frame, with its parsed form below
  GstVideoInfo info_{};
  std::vector<std::string> missing_plugins_;
  std::atomic<bool> interrupted_{false};
  int64_t frames_ = 0;
};

GstFrameSource::~GstFrameSource() {
  if (pipeline_) gst_element_set_state(pipeline_, GST_STATE_NULL);
  if (caps_) gst_caps_unref(caps_);
  if (sink_) gst_object_unref(sink_);
  if (bus_) gst_object_unref(bus_);
  if (pipeline_) gst_object_unref(pipeline_);
  child_.reset();  // after the pipeline stopped reading its output
}

Status GstFrameSource::Open(const SourceOptions& options) {
  CORALPI_RETURN_IF_ERROR(InitGStreamer());
  CORALPI_RETURN_IF_ERROR(CheckPath(spec_));
  CORALPI_RETURN_IF_ERROR(Build(options));
  return Start();
}

Status GstFrameSource::Build(const SourceOptions& options) {
  int exec_fd = -1;
  if (spec_.kind == SourceKind::kExec) {
    CORALPI_ASSIGN_OR_RETURN(child_, ChildProcess::Start(spec_.location));
    exec_fd = child_->stdout_fd();
  }
  CORALPI_ASSIGN_OR_RETURN(SourcePipeline source, BuildSourcePipeline(spec_, exec_fd));
  std::vector<std::string> factories;
  for (const SourceElement& e : source.elements) factories.push_back(e.factory);
  std::string description = source.description + Tail(options, factories);
  CORALPI_RETURN_IF_ERROR(CheckElements(spec_, factories));

  GError* err = nullptr;
  pipeline_ =
      gst_parse_launch_full(description.c_str(), nullptr, GST_PARSE_FLAG_FATAL_ERRORS, &err);
  if (err) {
    std::string message = err->message;
    g_error_free(err);
    if (pipeline_) gst_object_unref(pipeline_), pipeline_ = nullptr;
    return MakeError(spec_.text, "GStreamer cannot build the pipeline: " + message);
  }
  for (const SourceElement& e : source.elements) {
    if (e.name.empty()) continue;
    GstElement* element = gst_bin_get_by_name(GST_BIN(pipeline_), e.name.c_str());
    if (!element) return MakeError(spec_.text, "internal: no element " + e.name);
    for (const auto& [key, value] : e.properties)
      gst_util_set_object_arg(G_OBJECT(element), key.c_str(), value.c_str());
    gst_object_unref(element);
  }
  sink_ = GST_APP_SINK(gst_bin_get_by_name(GST_BIN(pipeline_), "coralpi_sink"));
  gst_app_sink_set_max_buffers(sink_, 2);
  gst_app_sink_set_drop(sink_, FALSE);
  gst_app_sink_set_wait_on_eos(sink_, FALSE);
  gst_base_sink_set_sync(GST_BASE_SINK(sink_), options.realtime && !IsLiveSource(spec_));
  gst_base_sink_set_last_sample_enabled(GST_BASE_SINK(sink_), FALSE);
  bus_ = gst_element_get_bus(pipeline_);
  return OkStatus();
}

Status GstFrameSource::Start() {
  GstStateChangeReturn r = gst_element_set_state(pipeline_, GST_STATE_PLAYING);
  if (r == GST_STATE_CHANGE_ASYNC)
    r = gst_element_get_state(pipeline_, nullptr, nullptr, kStartTimeout);
  CORALPI_RETURN_IF_ERROR(CheckBus());
  if (r != GST_STATE_CHANGE_FAILURE) return OkStatus();
  // The element that failed posts its error on the bus, sometimes just after the state change
  // returns: wait for it a little, as it says why (and, for exec:, how the command ended).
  if (GstMessage* m = gst_bus_timed_pop_filtered(bus_, kErrorWait, GST_MESSAGE_ERROR)) {
    gst_bus_post(bus_, m);  // back on the bus for CheckBus, which words it
    CORALPI_RETURN_IF_ERROR(CheckBus());
  }
  return MakeError(spec_.text,
                   "GStreamer cannot start the pipeline" + (child_ ? CommandEnd() : std::string()));
}

Status GstFrameSource::CheckBus() {
  auto filter = static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
  while (GstMessage* m = gst_bus_pop_filtered(bus_, filter)) {
    if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ELEMENT) {
      // decodebin's "missing-plugin" message names what is missing in its "name" field.
      const GstStructure* st = gst_message_get_structure(m);
      if (st && gst_structure_has_name(st, "missing-plugin")) {
        const gchar* what = gst_structure_get_string(st, "name");
        if (!what) what = gst_structure_get_string(st, "detail");
        missing_plugins_.push_back(what ? what : "an unknown stream type");
      }
    } else if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) {
      GError* err = nullptr;
      gst_message_parse_error(m, &err, nullptr);
      std::string message = err ? err->message : "unknown error";
      std::string from = GST_MESSAGE_SRC_NAME(m) ? GST_MESSAGE_SRC_NAME(m) : "";
      if (err) g_error_free(err);
      gst_message_unref(m);
      if (child_ && frames_ == 0) message += CommandEnd();
      if (!missing_plugins_.empty()) {
        std::string list;
        for (const std::string& p : missing_plugins_) list += (list.empty() ? "" : ", ") + p;
        return MakeError(spec_.text,
                         "no GStreamer plugin for " + list +
                             " (a decoder is missing; gst-inspect-1.0 lists those installed)");
      }
      return MakeError(spec_.text, (from.empty() ? "" : from + ": ") + message);
    }
    gst_message_unref(m);
  }
  return OkStatus();
}

// " (the command exited with status N)" once it has ended (waits up to 200 ms), else "".
std::string GstFrameSource::CommandEnd() {
  std::string how;
  for (int i = 0; i < 40 && how.empty(); ++i) {
    how = child_->ExitDescription();
    if (how.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return how.empty() ? "" : " (the command " + how + ")";
}

Result<std::optional<CapturedFrame>> GstFrameSource::Next() {
  while (!interrupted_) {
    GstSample* sample = gst_app_sink_try_pull_sample(sink_, kPollInterval);
    if (sample) {
      auto frame = Convert(sample);
      gst_sample_unref(sample);
      if (!frame.ok()) return frame.error();
      ++frames_;
      return std::optional<CapturedFrame>(std::move(*frame));
    }
    CORALPI_RETURN_IF_ERROR(CheckBus());
    if (!gst_app_sink_is_eos(sink_)) continue;
    if (spec_.loop && frames_ > 0) {
      gst_element_seek_simple(
          pipeline_, GST_FORMAT_TIME,
          static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT), 0);
      continue;
    }
    if (frames_ == 0 && child_)
      return MakeError(spec_.text, "the command sent no frames" + CommandEnd());
    return std::optional<CapturedFrame>();
  }
  return std::optional<CapturedFrame>();
}

Result<CapturedFrame> GstFrameSource::Convert(GstSample* sample) {
  CapturedFrame frame;
  frame.steady = std::chrono::steady_clock::now();
  frame.wall_time =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  GstCaps* caps = gst_sample_get_caps(sample);
  if (!caps_ || !gst_caps_is_equal(caps, caps_)) {
    if (!caps || !gst_video_info_from_caps(&info_, caps))
      return MakeError(spec_.text, "a frame came without video caps");
    gst_caps_replace(&caps_, caps);
  }
  const int w = GST_VIDEO_INFO_WIDTH(&info_), h = GST_VIDEO_INFO_HEIGHT(&info_);
  const size_t stride = GST_VIDEO_INFO_PLANE_STRIDE(&info_, 0);
  const size_t offset = GST_VIDEO_INFO_PLANE_OFFSET(&info_, 0);
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  GstMapInfo map;
  if (!buffer || !gst_buffer_map(buffer, &map, GST_MAP_READ))
    return MakeError(spec_.text, "a frame's memory cannot be read");
  const size_t row = static_cast<size_t>(w) * 3;
  if (w < 1 || h < 1 || offset + stride * (h - 1) + row > map.size) {
    gst_buffer_unmap(buffer, &map);
    return MakeError(spec_.text, "a frame is smaller than its caps say");
  }
  auto image = std::make_shared<Image>();
  image->width = w;
  image->height = h;
  const uint8_t* pixels = map.data + offset;
  if (stride == row) {
    image->rgb.assign(pixels, pixels + row * h);  // one copy, no zero-filling first
  } else {
    image->rgb.reserve(row * h);
    for (int y = 0; y < h; ++y)
      image->rgb.insert(image->rgb.end(), pixels + stride * y, pixels + stride * y + row);
  }
  gst_buffer_unmap(buffer, &map);
  frame.image = std::move(image);
  return frame;
}

}  // namespace

bool HasGstElement(const std::string& factory) {
  if (!InitGStreamer().ok()) return false;
  GstElementFactory* f = gst_element_factory_find(factory.c_str());
  if (!f) return false;
  gst_object_unref(f);
  return true;
}

Result<std::unique_ptr<FrameSource>> OpenSource(const std::string& text,
                                                const SourceOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(SourceSpec spec, ParseSourceSpec(text));
  auto source = std::make_unique<GstFrameSource>(std::move(spec));
  CORALPI_RETURN_IF_ERROR(source->Open(options));
  return std::unique_ptr<FrameSource>(std::move(source));
}

}  // namespace coralpi
