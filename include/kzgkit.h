/*
 * kzgkit — umbrella header. Copyright 2026 the kzgkit authors.
 * Licensed under the Apache License, Version 2.0.
 */
#ifndef KZGKIT_H
#define KZGKIT_H
#include "kzgkit/kzg.h"
#include "kzgkit/eip4844.h"
#include "kzgkit/eip7594.h"
#include "kzgkit/runtime.h"
#endif
