/**
 * The engine's one door to TensorFlow.js. tfjs-core's Node entry (dist/tf-core.node.js, CommonJS)
 * ships no gradients; `register_all_gradients` exists only as ES modules, so the build bundles that
 * one deep import (electron.vite.config.ts, vitest.config.ts) while tfjs-core itself stays external.
 * Both copies share tfjs's global engine and registries, so the gradients land where the ops look.
 *
 * The ES-module copy, loaded first, creates that global engine, so every tensor is an instance of
 * its Tensor class, whose methods clone/cast/buffer/print call an op handler that only the copy's
 * own side-effect module would set (without it `t.clone()` throws, e.g. inside Cast's gradient,
 * which second-order gradients reach). Point it at the CommonJS ops.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setOpHandler } from '@tensorflow/tfjs-core/dist/tensor';
import * as tf from '@tensorflow/tfjs-core';

setOpHandler(tf);

export { tf };
