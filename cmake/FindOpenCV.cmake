# FindOpenCV: OpenCV 4 as Debian 12 installs it module by module.
#
# Debian ships OpenCVConfig.cmake only in the umbrella package libopencv-dev,
# which pulls in every OpenCV module (VTK with viz, contrib, dnn, Java). The
# project installs just the modules it uses (libopencv-core-dev, -imgproc-dev,
# -imgcodecs-dev, -videoio-dev, -highgui-dev): this module finds those.
# When an OpenCVConfig.cmake is there after all (libopencv-dev installed, or
# an OpenCV built from source), it is used instead.
#
# Sets OpenCV_FOUND, OpenCV_VERSION, OpenCV_INCLUDE_DIRS, OpenCV_LIBS and one
# imported target opencv_<component> per requested component, as the config
# package does.

find_package(OpenCV ${OpenCV_FIND_VERSION} QUIET CONFIG COMPONENTS ${OpenCV_FIND_COMPONENTS})
if(OpenCV_FOUND)
  return()
endif()

find_path(OpenCV_INCLUDE_DIR opencv2/core/version.hpp PATH_SUFFIXES opencv4)
if(OpenCV_INCLUDE_DIR)
  file(STRINGS "${OpenCV_INCLUDE_DIR}/opencv2/core/version.hpp" opencv_version_lines
       REGEX "^#define CV_VERSION_(MAJOR|MINOR|REVISION)[ \t]+[0-9]+")
  foreach(part MAJOR MINOR REVISION)
    string(REGEX REPLACE ".*#define CV_VERSION_${part}[ \t]+([0-9]+).*" "\\1" OpenCV_VERSION_${part}
                         "${opencv_version_lines}")
  endforeach()
  set(OpenCV_VERSION "${OpenCV_VERSION_MAJOR}.${OpenCV_VERSION_MINOR}.${OpenCV_VERSION_REVISION}")
endif()

set(OpenCV_LIBS "")
foreach(component IN LISTS OpenCV_FIND_COMPONENTS)
  find_library(OpenCV_${component}_LIBRARY opencv_${component})
  if(OpenCV_INCLUDE_DIR AND OpenCV_${component}_LIBRARY)
    set(OpenCV_${component}_FOUND TRUE)
    if(NOT TARGET opencv_${component})
      add_library(opencv_${component} UNKNOWN IMPORTED)
      set_target_properties(opencv_${component} PROPERTIES
        IMPORTED_LOCATION "${OpenCV_${component}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${OpenCV_INCLUDE_DIR}")
    endif()
    list(APPEND OpenCV_LIBS opencv_${component})
  else()
    set(OpenCV_${component}_FOUND FALSE)
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCV
  REQUIRED_VARS OpenCV_INCLUDE_DIR
  VERSION_VAR OpenCV_VERSION
  HANDLE_COMPONENTS)
if(OpenCV_FOUND)
  set(OpenCV_INCLUDE_DIRS "${OpenCV_INCLUDE_DIR}")
endif()
mark_as_advanced(OpenCV_INCLUDE_DIR)
