#include "test_video.h"

#include <gst/gst.h>

#include "video/frame_source.h"

namespace coralpi::testing {

Status RunGstPipeline(const std::string& description, double timeout_s) {
  if (!MissingGstElement({"fakesink"}).empty()) return Error{"GStreamer does not start"};
  GError* err = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &err);
  if (err) {
    std::string message = err->message;
    g_error_free(err);
    if (pipeline) gst_object_unref(pipeline);
    return Error{description + ": " + message};
  }
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* m =
      gst_bus_timed_pop_filtered(bus, static_cast<GstClockTime>(timeout_s * GST_SECOND),
                                 static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  Status result = OkStatus();
  if (!m) {
    result = Error{description + ": timed out"};
  } else if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) {
    GError* e = nullptr;
    gst_message_parse_error(m, &e, nullptr);
    result = Error{description + ": " + (e ? e->message : "error")};
    if (e) g_error_free(e);
  }
  if (m) gst_message_unref(m);
  gst_object_unref(bus);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  return result;
}

namespace {

std::string Encode(int width, int height, const std::string& out) {
  return " ! videoconvert ! videoscale ! video/x-raw,width=" + std::to_string(width) +
         ",height=" + std::to_string(height) + " ! jpegenc ! avimux ! filesink location=\"" + out +
         "\"";
}

}  // namespace

Status MakeVideoFromJpeg(const std::string& jpeg, const std::string& out, int frames, int width,
                         int height) {
  return RunGstPipeline("multifilesrc location=\"" + jpeg +
                        "\" loop=true num-buffers=" + std::to_string(frames) +
                        " caps=image/jpeg,framerate=30/1 ! jpegdec" + Encode(width, height, out));
}

Status MakePatternVideo(const std::string& pattern, const std::string& out, int frames, int width,
                        int height) {
  return RunGstPipeline("videotestsrc pattern=" + pattern +
                        " num-buffers=" + std::to_string(frames) + " ! video/x-raw,framerate=30/1" +
                        Encode(width, height, out));
}

std::string MissingGstElement(std::initializer_list<const char*> factories) {
  for (const char* f : factories) {
    if (!HasGstElement(f)) return f;
  }
  return "";
}

}  // namespace coralpi::testing
